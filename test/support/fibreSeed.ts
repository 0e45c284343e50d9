/** Seed 002 §1's example point NORR1234 as the API serves it (the demo data holds it as written). */
export const SEED_POINT_NORR1234 = {
  pointId: 'NORR1234',
  address: { street: 'Testvägen', number: '100', littera: '', postalCode: '10000', city: 'Ankeborg', countryCode: 'SE' },
  building: { distinguisher: '', type: 'MDU' },
  realEstate: { label: 'PENGABINGEN 1', municipality: 'ANKEBORG' },
  coordinate: { latitude: 6581619.085, longitude: 1628539.32, projection: 'WGS84' },
  district: 'GAMLA STAN',
  suppliers: [{ name: 'STOKAB', fiberStatus: 'IN_REAL_ESTATE', statusValidationRequired: true }],
  relatedPointIds: expect.arrayContaining(['CDE678']) as string[],
  pointInfo: { name: 'NORR1234', type: 'H', aNode: 'ANKB-N1', oNode: 'O-ANKB' },
};
