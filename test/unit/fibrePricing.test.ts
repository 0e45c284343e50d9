import { coordinateSystemOf, distanceMeters, geodeticToGrid, gridToGeodetic } from '../../src/domain/fibre/coordinates';
import { matchesAddress, searchKey, splitNumber } from '../../src/domain/fibre/addressSearch';
import {
  Catalogue,
  FibreProduct,
  NetworkPoint,
  PointSupplier,
  PriceList,
  PriceRequest,
  priceEstimate,
  priceProduct,
  PricingContext,
} from '../../src/domain/fibre/pricing';

const SEED = { latitude: 6581619.085, longitude: 1628539.32, projection: 'WGS84' };

function point(pointId: string, offset: { dn: number; de: number }, suppliers: PointSupplier[], aNode = ''): NetworkPoint {
  return {
    pointId,
    address: { street: 'Testvägen', number: '1', littera: '', postalCode: '10000', city: 'Ankeborg', countryCode: 'SE' },
    building: { distinguisher: '', type: 'MDU' },
    realEstate: { label: 'PENGABINGEN 1', municipality: 'ANKEBORG' },
    coordinate: { latitude: SEED.latitude + offset.dn, longitude: SEED.longitude + offset.de, projection: 'WGS84' },
    district: 'GAMLA STAN',
    suppliers,
    relatedPointIds: [],
    pointInfo: { name: pointId, type: aNode ? 'H' : 'N', aNode, oNode: 'O-ANKB' },
  };
}
const stokab = (over: Partial<PointSupplier> = {}): PointSupplier => ({
  name: 'STOKAB',
  fiberStatus: 'IN_REAL_ESTATE',
  statusValidationRequired: false,
  freeFibers: 96,
  ...over,
});

const P2P: FibreProduct = { productId: 'p2p', supplier: 'STOKAB', name: 'Point2Point' };
const STAR: FibreProduct = { productId: 'star', supplier: 'STOKAB', name: 'Star' };
const LIST: PriceList = {
  productId: 'p2p',
  establishmentFee: 5000,
  oneTimeFeePerMeter: 15,
  monthlyFeeBase: 300,
  monthlyFeePerKmPerFiber: 250,
  minimumDistanceMeters: 200,
  buildingEntryFee: { AT_ADDRESS: 8000, AT_SITE_BOUNDARY: 25000 },
  deliveryDaysBase: 20,
};

const POINTS = new Map(
  [
    point('A', { dn: 0, de: 0 }, [stokab()], 'NODE'),
    // 987 m from A: the distance in the seed's price example.
    point('B', { dn: 592.2, de: 789.6 }, [stokab()], 'NODE'),
    point('ENTRY', { dn: 300, de: 400 }, [stokab({ fiberStatus: 'AT_SITE_BOUNDARY', statusValidationRequired: true })], 'NODE'),
    point('TIGHT', { dn: -300, de: -400 }, [stokab({ freeFibers: 3 })], 'NODE'),
    point('OTHER', { dn: 10, de: 10 }, [{ ...stokab(), name: 'SVEANET' }], 'NODE'),
    point('NODE', { dn: 0, de: -400 }, [stokab()]),
  ].map((p) => [p.pointId, p]),
);
const ctx: PricingContext = { points: POINTS, frameworkDiscountPercent: 0 };
const req = (over: Partial<PriceRequest> = {}): PriceRequest => ({
  from: { pointId: 'A' },
  to: { pointId: 'B' },
  redundancy: { type: 'NoRedundancy', toPointId: null },
  customerType: 'Commercial',
  serviceLevel: 'Base',
  contractPeriodMonths: 12,
  noOfFiberPairs: 1,
  noOfSingleFibers: 0,
  ...over,
});
const priced = (over: Partial<PriceRequest> = {}, product = P2P, c = ctx) => priceProduct(req(over), product, LIST, c);
const price = (over: Partial<PriceRequest> = {}, c = ctx) => {
  const p = priced(over, P2P, c).quote.price;
  if (!p) throw new Error('expected a price');
  return p;
};

describe('coordinates', () => {
  it('reads the seed\'s "WGS84" metres as RT 90 2.5 gon V: Norrmalm, Stockholm', () => {
    expect(coordinateSystemOf(SEED)).toBe('RT90');
    const g = gridToGeodetic('RT90', { northing: SEED.latitude, easting: SEED.longitude });
    expect(g.lat).toBeCloseTo(59.3358, 3);
    expect(g.lon).toBeCloseTo(18.0639, 3);
    const back = geodeticToGrid('RT90', g);
    expect(back.northing).toBeCloseTo(SEED.latitude, 2);
    expect(back.easting).toBeCloseTo(SEED.longitude, 2);
  });

  it('tells real WGS84 degrees, SWEREF 99 TM and RT 90 apart by their values, whatever the label', () => {
    expect(coordinateSystemOf({ latitude: 59.33, longitude: 18.06 })).toBe('WGS84');
    expect(coordinateSystemOf({ latitude: 6580800, longitude: 674000 })).toBe('SWEREF99TM');
    expect(coordinateSystemOf({ latitude: 6581619, longitude: 1628539 })).toBe('RT90');
  });

  it('measures the same place given in three systems as the same place', () => {
    const g = gridToGeodetic('RT90', { northing: SEED.latitude, easting: SEED.longitude });
    const sweref = geodeticToGrid('SWEREF99TM', g);
    expect(distanceMeters(SEED, { latitude: g.lat, longitude: g.lon })).toBeLessThan(0.5);
    expect(distanceMeters(SEED, { latitude: sweref.northing, longitude: sweref.easting })).toBeLessThan(0.5);
  });

  it('measures grid pairs in the grid and degree pairs on the ellipsoid', () => {
    expect(distanceMeters(SEED, { latitude: SEED.latitude + 592.2, longitude: SEED.longitude + 789.6 })).toBeCloseTo(987, 6);
    // Stockholm Central to Slussen, about 1.3 km.
    const d = distanceMeters({ latitude: 59.3303, longitude: 18.0586 }, { latitude: 59.3195, longitude: 18.0722 });
    expect(d).toBeGreaterThan(1300);
    expect(d).toBeLessThan(1450);
  });
});

describe('address search', () => {
  it('ignores case, spacing and Swedish letters written without dots', () => {
    for (const spelling of ['Testvägen', 'testvagen', 'TEST VÄGEN', ' test-vagen ']) expect(searchKey(spelling)).toBe('testvagen');
    expect(searchKey('Åsögatan')).toBe(searchKey('asogatan'));
  });

  it('splits a littera written into the number, an explicit littera winning', () => {
    expect(splitNumber('12B', undefined)).toEqual({ number: '12', littera: 'B' });
    expect(splitNumber('12 b', '')).toEqual({ number: '12', littera: 'b' });
    expect(splitNumber('12', 'C')).toEqual({ number: '12', littera: 'C' });
    expect(splitNumber('', '')).toEqual({ number: undefined, littera: undefined });
  });

  it('matches on the fields given and only those', () => {
    const p = { street: 'Götgatan', number: '12', littera: 'B', city: 'Stockholm' };
    expect(matchesAddress(p, { street: 'gotgatan' })).toBe(true);
    expect(matchesAddress(p, { street: 'gotgatan', number: '12b', city: 'STOCKHOLM' })).toBe(true);
    expect(matchesAddress(p, { street: 'gotgatan', number: '12', littera: 'a' })).toBe(false);
    expect(matchesAddress(p, { street: 'gotgatan', number: '13' })).toBe(false);
    expect(matchesAddress(p, { street: 'gotgatan', city: 'Solna' })).toBe(false);
  });
});

describe('fibre pricing', () => {
  it('prices a Point2Point by distance, fibres and establishment, totals adding up the items', () => {
    const p = price();
    expect(p.status).toBe('ESTIMATED');
    expect(p.items[0]).toEqual({
      name: 'Connection based on distance',
      parameters: [
        { name: 'distance', value: '987' },
        { name: 'chargedDistance', value: '987' },
        { name: 'noOfFiberPairs', value: '1' },
        { name: 'noOfSingleFibers', value: '0' },
      ],
      // 15 SEK/m; 300 SEK + 250 SEK per fibre-km × 2 fibres × 0.987 km.
      oneTimeFee: 14805,
      monthlyFee: 793.5,
    });
    expect(p.items[1]).toMatchObject({ name: 'Establishment', oneTimeFee: 10000, monthlyFee: 0 });
    expect(p.oneTimeFee).toBe(24805);
    expect(p.monthlyFee).toBe(793.5);
    expect(priced().deliveryDurationDays).toBe(22);
  });

  it('charges the minimum distance for short routes and more for more fibres', () => {
    const same = price({ to: { pointId: 'A' } });
    expect(same.items[0]!.parameters).toEqual(expect.arrayContaining([{ name: 'distance', value: '0' }, { name: 'chargedDistance', value: '200' }]));
    expect(same.items[0]!.oneTimeFee).toBe(3000);
    const more = price({ noOfFiberPairs: 2, noOfSingleFibers: 1 });
    expect(more.items[0]!.monthlyFee).toBe(300 + 250 * 5 * 0.987);
  });

  it('adds service level, contract period, framework discount and VAT for residential customers, in that order', () => {
    const premium = price({ serviceLevel: 'Premium' });
    expect(premium.items.at(-1)).toMatchObject({ name: 'Service level Premium', oneTimeFee: 0, monthlyFee: 396.75 });
    expect(price({ serviceLevel: 'Gold' }).monthlyFee).toBe(991.88);

    const long = price({ serviceLevel: 'Premium', contractPeriodMonths: 36 });
    expect(long.items.at(-1)).toMatchObject({ name: 'Contract period 36 months', oneTimeFee: -4961, monthlyFee: -119.03 });
    expect(long.oneTimeFee).toBe(19844);
    expect(long.monthlyFee).toBe(1071.22);
    expect(price({ contractPeriodMonths: 60 }).oneTimeFee).toBe(24805 * 0.6);

    const discounted = price({}, { ...ctx, frameworkDiscountPercent: 10 });
    expect(discounted.items.at(-1)).toMatchObject({ name: 'Framework agreement discount', oneTimeFee: 0, monthlyFee: -79.35 });

    const residential = price({ customerType: 'Residential' });
    expect(residential.items.at(-1)).toMatchObject({ name: 'VAT 25 %', oneTimeFee: 6201.25, monthlyFee: 198.38 });
    expect(residential.oneTimeFee).toBe(31006.25);
  });

  it('prices redundancy: Normal a partly shared second route, Full a whole one, to redundancy.toPointId when given', () => {
    const normal = price({ redundancy: { type: 'Normal', toPointId: null } });
    expect(normal.items.at(-1)).toMatchObject({
      name: 'Redundancy Normal',
      parameters: [{ name: 'toPointId', value: 'B' }, { name: 'distance', value: '987' }],
      oneTimeFee: 14805 * 0.6,
      monthlyFee: 476.1,
    });
    const full = price({ redundancy: { type: 'Full', toPointId: 'ENTRY' } });
    expect(full.items.at(-1)).toMatchObject({ name: 'Redundancy Full', parameters: [{ name: 'toPointId', value: 'ENTRY' }, { name: 'distance', value: '500' }], oneTimeFee: 7500 });
    expect(priced({ redundancy: { type: 'Full', toPointId: null } }).deliveryDurationDays).toBe(32);
  });

  it('adds a building entry where the supplier only reaches the site boundary, and says it needs validation', () => {
    const p = priced({ to: { pointId: 'ENTRY' } });
    expect(p.quote.price!.items).toContainEqual({
      name: 'Building entry at ENTRY',
      parameters: [{ name: 'fiberStatus', value: 'AT_SITE_BOUNDARY' }],
      oneTimeFee: 25000,
      monthlyFee: 0,
    });
    expect(p.quote.comment).toBe('The fibre status at ENTRY needs manual validation');
    expect(p.deliveryDurationDays).toBe(20 + 30 + 2 + 5);
  });

  it('is not available where the supplier has no fibre, too few free fibres (a redundant route needs its own), or the points do not fit', () => {
    expect(priced({ to: { pointId: 'OTHER' } })).toMatchObject({ reason: 'NOT_AT_POINT', quote: { status: 'NOT_AVAILABLE', price: null, comment: 'STOKAB has no fibre at OTHER' } });
    expect(priced({ to: { pointId: 'TIGHT' }, noOfFiberPairs: 1, noOfSingleFibers: 1 }).reason).toBeNull();
    expect(priced({ to: { pointId: 'TIGHT' }, noOfFiberPairs: 2 })).toMatchObject({ reason: 'NO_CAPACITY', quote: { comment: expect.stringContaining('3 free fibres at TIGHT, 4 needed') } });
    expect(priced({ to: { pointId: 'TIGHT' }, redundancy: { type: 'Normal', toPointId: null } }).reason).toBe('NO_CAPACITY');
    // A second route to another point needs fibres there, not twice at the far end.
    const twoSingles = { noOfFiberPairs: 0, noOfSingleFibers: 2, to: { pointId: 'TIGHT' } };
    expect(priced({ ...twoSingles, redundancy: { type: 'Normal', toPointId: null } }).reason).toBe('NO_CAPACITY');
    expect(priced({ ...twoSingles, redundancy: { type: 'Normal', toPointId: 'B' } }).reason).toBeNull();
    expect(priced({ redundancy: { type: 'Full', toPointId: 'OTHER' } })).toMatchObject({ reason: 'NOT_AT_POINT', quote: { comment: 'STOKAB has no fibre at OTHER' } });
    expect(priced({ redundancy: { type: 'Full', toPointId: 'NOPE' } }).reason).toBe('UNKNOWN_POINT');
    expect(priced({ redundancy: { type: 'NoRedundancy', toPointId: 'NOPE' } }).reason).toBeNull();
    expect(priced({ to: null }).reason).toBe('POINTS_MISMATCH');
    expect(priced({ to: { pointId: 'NOPE' } }).reason).toBe('UNKNOWN_POINT');
  });

  it('prices Star from the one point to its connection node', () => {
    const star = priceProduct(req({ to: null }), STAR, { ...LIST, productId: 'star' }, ctx);
    expect(star.quote.price!.items[0]!.parameters[0]).toEqual({ name: 'distance', value: '400' });
    expect(star.quote.price!.items[1]).toMatchObject({ name: 'Establishment', oneTimeFee: 5000 });
  });

  it('estimates per supplier: All with two points prices Point2Point, with one point Star; OFFER when asked', () => {
    const catalogue: Catalogue = {
      products: [P2P, STAR, { productId: 'sv-p2p', supplier: 'SVEANET', name: 'Point2Point' }],
      priceLists: new Map([
        ['p2p', LIST],
        ['star', { ...LIST, productId: 'star' }],
        ['sv-p2p', { ...LIST, productId: 'sv-p2p' }],
      ]),
    };
    const two = priceEstimate(req(), { products: 'All' }, catalogue, ctx);
    expect(two.map((s) => [s.supplier, s.products.map((p) => `${p.name}:${p.status}`)])).toEqual([
      ['STOKAB', ['Point2Point:AVAILABLE']],
      ['SVEANET', ['Point2Point:NOT_AVAILABLE']],
    ]);
    const one = priceEstimate(req({ to: null }), { products: 'All' }, catalogue, { ...ctx, priceStatus: 'OFFER' });
    expect(one).toEqual([{ supplier: 'STOKAB', products: [expect.objectContaining({ name: 'Star', price: expect.objectContaining({ status: 'OFFER' }) })] }]);
    expect(priceEstimate(req(), { products: 'All', productId: 'sv-p2p' }, catalogue, ctx).map((s) => s.supplier)).toEqual(['SVEANET']);
  });
});
