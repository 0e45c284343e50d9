import { createHash } from 'node:crypto';
import type { Orm } from '../orm';
import { AccessPoint, AccessPointSchema, CatalogueOffering, CatalogueOfferingSchema } from '../entities';

/** The ids of seed 000's example, so the seed's body fails only where it breaks a rule. */
export const SEED_ACCESS_ID = '8732c2f065e2490babce820e94b1011a';
export const SEED_PRODUCT_ID = '8732c2f065e2490babce820e94b1011a';
export const SEED_OFFERING_ID = 'xxx';
/** Accepted by the registry but refused by the simulated provisioning system: shows a late REJECT. */
export const DEMO_UNCONNECTABLE_ACCESS_ID = 'dead0000000000000000000000000000';
/** In the registry, but not built yet: assessment rejects it. */
export const DEMO_PLANNED_ACCESS_ID = 'b1a4ed00000000000000000000000000';

const STREETS = ['Testvägen', 'Storgatan', 'Kungsgatan', 'Drottninggatan', 'Sveavägen', 'Götgatan', 'Hornsgatan'];
const CITIES: [string, string][] = [['Ankeborg', '123 45'], ['Stockholm', '111 22'], ['Solna', '171 45'], ['Nacka', '131 30']];

function generatedAccessPoints(count: number): AccessPoint[] {
  return Array.from({ length: count }, (_, i) => {
    const [city, postalCode] = CITIES[i % CITIES.length]!;
    return {
      id: createHash('md5').update(`demo-access-point-${i}`).digest('hex'),
      streetName: STREETS[i % STREETS.length]!,
      streetNumber: String(1 + (i % 120)),
      streetLittera: i % 5 === 0 ? 'A' : '',
      postalCode,
      city,
      status: 'CONNECTABLE',
    };
  });
}

export const DEMO_ACCESS_POINTS: AccessPoint[] = [
  { id: SEED_ACCESS_ID, streetName: 'Testvägen', streetNumber: '100', streetLittera: '', postalCode: '123 45', city: 'Ankeborg', status: 'CONNECTABLE' },
  { id: DEMO_UNCONNECTABLE_ACCESS_ID, streetName: 'Testvägen', streetNumber: '101', streetLittera: '', postalCode: '123 45', city: 'Ankeborg', status: 'CONNECTABLE' },
  { id: DEMO_PLANNED_ACCESS_ID, streetName: 'Testvägen', streetNumber: '102', streetLittera: '', postalCode: '123 45', city: 'Ankeborg', status: 'PLANNED' },
  ...generatedAccessPoints(200),
];

export const DEMO_OFFERINGS: CatalogueOffering[] = [
  { productId: SEED_PRODUCT_ID, offeringId: SEED_OFFERING_ID, name: 'Bredband 100/100 (seed example)' },
  { productId: SEED_PRODUCT_ID, offeringId: 'bb-250', name: 'Bredband 250/250' },
  { productId: SEED_PRODUCT_ID, offeringId: 'bb-1000', name: 'Bredband 1000/1000' },
  { productId: 'iptv', offeringId: 'tv-bas', name: 'TV Bas' },
  { productId: 'voip', offeringId: 'tel-standard', name: 'Telefoni Standard' },
];

/** Idempotent: loading twice leaves the same rows. */
export async function loadSalesLeadDemoData(orm: Orm): Promise<{ accessPoints: number; offerings: number }> {
  const em = orm.em.fork();
  await em.upsertMany(AccessPointSchema, DEMO_ACCESS_POINTS, { onConflictFields: ['id'], batchSize: 100 });
  await em.upsertMany(CatalogueOfferingSchema, DEMO_OFFERINGS, { onConflictFields: ['productId', 'offeringId'] });
  return { accessPoints: DEMO_ACCESS_POINTS.length, offerings: DEMO_OFFERINGS.length };
}
