import request from 'supertest';
import { FibrePointRemovalSchema, FibrePointSchema } from '../../src/db/entities';
import { FIBRE_DEMO, readDemoFibrePoints, SEED_FIBRE_GUID, toPointRow } from '../../src/db/fibre/demoData';
import { useApiOnly } from '../support/apiOnly';
import { DATABASE_KINDS } from '../support/databases';
import { SEED_POINT_NORR1234 } from '../support/fibreSeed';

/** Seed 002 §3's request as written ("" for the ids it leaves open, both fibre spellings). */
const SEED_PRICE_ESTIMATE = {
  invoiceGroupId: '',
  frameworkAgreementId: '',
  from: { pointId: 'ABC123', comment: '' },
  to: { pointId: 'ABC123', comment: '' },
  redundancy: { type: 'Full', toPointId: '' },
  customerType: 'Commercial',
  serviceLevel: 'Premium',
  products: 'All',
  productId: '',
  parameters: [
    { name: 'ConnectorType', value: 'SC/APC' },
    { name: 'NumberOfRooms', value: '10' },
  ],
  subProducts: [{ productId: '', name: '', parameters: [{ name: 'ConnectorType', value: 'SC/APC' }] }],
  contractPeriodMonths: 12,
  noOfSingleFibers: 1,
  NumberOfFiberPairs: 1,
};

describe.each(DATABASE_KINDS)('fibre reference endpoints on %s', (kind) => {
  const stack = useApiOnly(kind);
  let demo: string;
  let other: string;
  beforeAll(async () => {
    demo = await stack.token('demo');
    other = await stack.token('other');
  });
  const get = (path: string, token = demo) => request(stack.app).get(`/api/1.0${path}`).set('Authorization', `Bearer ${token}`);
  const estimate = (body: unknown, token = demo) =>
    request(stack.app).post('/api/1.0/priceEstimate').set('Authorization', `Bearer ${token}`).send(body as object);

  describe('GET feasibility', () => {
    it('lists every deliverable point with the seed\'s fields and no internal ones, with Last-Modified from the data', async () => {
      const res = await get('/feasibility');
      expect(res.status).toBe(200);
      expect(res.headers['last-modified']).toBe('Sun, 01 Nov 2026 06:00:00 GMT');
      const deliverable = await stack.db.orm.em.fork().count(FibrePointSchema, { deliverable: true });
      expect(res.body).toHaveLength(deliverable);
      expect(res.body.length).toBeGreaterThan(1000);
      const norr = res.body.find((p: { pointId: string }) => p.pointId === 'NORR1234');
      expect(norr).toEqual(SEED_POINT_NORR1234);
      expect(res.body.every((p: { suppliers: unknown[] }) => p.suppliers.length > 0)).toBe(true);
      expect(res.body.some((p: { pointId: string }) => p.pointId === 'NOFIBER1')).toBe(false);
    });

    it('answers If-Modified-Since with 304 until the data changes, then with the new list', async () => {
      const lastModified = (await get('/feasibility')).headers['last-modified'] as string;
      const unchanged = await get('/feasibility').set('If-Modified-Since', lastModified);
      expect(unchanged.status).toBe(304);
      expect(unchanged.text).toBe('');
      expect((await get('/feasibility').set('If-Modified-Since', 'Sat, 31 Oct 2026 06:00:00 GMT')).status).toBe(200);
      expect((await get('/feasibility').set('If-Modified-Since', 'not a date')).status).toBe(200);

      const em = stack.db.orm.em.fork();
      const row = await em.findOneOrFail(FibrePointSchema, { pointId: 'CBA123' });
      row.updatedAt = new Date('2026-11-20T10:00:00.000Z');
      await em.flush();
      const changed = await get('/feasibility').set('If-Modified-Since', lastModified);
      expect(changed.status).toBe(200);
      expect(changed.headers['last-modified']).toBe('Fri, 20 Nov 2026 10:00:00 GMT');
    });

    it('moves Last-Modified when a point stops being deliverable or is removed, so a client holding the old list gets the new one', async () => {
      const em = stack.db.orm.em.fork();
      const demoPoints = new Set<string>(Object.values(FIBRE_DEMO.points));
      const [stopping, removed] = readDemoFibrePoints().filter((p) => p.suppliers.length > 0 && !demoPoints.has(p.pointId)).slice(-2).map((p) => p.pointId);
      const ids = (res: request.Response) => (res.body as { pointId: string }[]).map((p) => p.pointId);
      try {
        // Every point last changed on one day, in the past.
        await em.nativeUpdate(FibrePointSchema, {}, { updatedAt: new Date('2020-01-01T00:00:00.000Z') });
        const before = await get('/feasibility');
        expect(before.headers['last-modified']).toBe('Wed, 01 Jan 2020 00:00:00 GMT');
        expect(ids(before)).toEqual(expect.arrayContaining([stopping, removed]));

        await em.nativeUpdate(FibrePointSchema, { pointId: stopping }, { suppliersJson: '[]', deliverable: false, updatedAt: new Date('2020-01-02T00:00:00.000Z') });
        const afterStop = await get('/feasibility').set('If-Modified-Since', before.headers['last-modified'] as string);
        expect(afterStop.status).toBe(200);
        expect(afterStop.headers['last-modified']).toBe('Thu, 02 Jan 2020 00:00:00 GMT');
        expect(ids(afterStop)).not.toContain(stopping);

        await em.nativeDelete(FibrePointSchema, { pointId: removed });
        const afterRemoval = await get('/feasibility').set('If-Modified-Since', afterStop.headers['last-modified'] as string);
        expect(afterRemoval.status).toBe(200);
        expect(ids(afterRemoval)).not.toContain(removed);
        const removal = await em.fork().findOneOrFail(FibrePointRemovalSchema, { pointId: removed });
        expect(afterRemoval.headers['last-modified']).toBe(new Date(Math.floor(removal.removedAt.getTime() / 1000) * 1000).toUTCString());
        expect(Date.parse(afterRemoval.headers['last-modified'] as string)).toBeGreaterThan(Date.parse('2020-01-02T00:00:00Z'));
        expect((await get('/feasibility').set('If-Modified-Since', afterRemoval.headers['last-modified'] as string)).status).toBe(304);
      } finally {
        // The demo data as loaded, for the tests after this one.
        await em.upsertMany(FibrePointSchema, readDemoFibrePoints().map(toPointRow), { onConflictFields: ['pointId'], batchSize: 200 });
      }
    });

    it('needs a CLIENT token', async () => {
      expect((await request(stack.app).get('/api/1.0/feasibility')).status).toBe(401);
      const guest = await get('/feasibility', await stack.token('guest'));
      expect(guest.status).toBe(403);
      expect(guest.body.cause).toContain('CLIENT');
    });
  });

  describe('GET availability', () => {
    it('answers a point id with the seed\'s fields (no pointInfo, as in §2.1)', async () => {
      const res = await get('/availability/ABC123');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        pointId: 'ABC123',
        address: { street: 'Testvägen', number: '100', city: 'Ankeborg' },
        coordinate: { latitude: 6581619.085, longitude: 1628539.32, projection: 'WGS84' },
        suppliers: [{ name: 'STOKAB', fiberStatus: 'IN_REAL_ESTATE', statusValidationRequired: true }],
        relatedPointIds: expect.arrayContaining(['CDE678']),
      });
      expect(res.body.pointInfo).toBeUndefined();
      expect(res.body.suppliers[0].freeFibers).toBeUndefined();
    });

    it('answers an unknown point with 404 and a cause; a point without fibre is still known', async () => {
      const res = await get('/availability/NOPE999');
      expect(res.status).toBe(404);
      // Exactly the documented {cause, message, errors} shape: no keys beyond it (the fuzz test found a stray `field`).
      expect(res.body).toEqual({
        cause: 'pointId: No network point NOPE999',
        message: 'No network point NOPE999',
        errors: [{ field: 'pointId', message: 'No network point NOPE999' }],
      });
      const dark = await get('/availability/NOFIBER1');
      expect(dark.status).toBe(200);
      expect(dark.body.suppliers).toEqual([]);
    });

    it('finds every point at an address, tolerant of case, spacing and å/ä/ö written as a/a/o', async () => {
      const exact = await get('/availability/?city=Ankeborg&street=Testvägen&number=100&littera=');
      expect(exact.status).toBe(200);
      expect(exact.body.map((p: { pointId: string }) => p.pointId)).toEqual(['ABC123', 'NORR1234']);
      const sloppy = await get(`/availability?city=${encodeURIComponent(' ankeborg ')}&street=${encodeURIComponent('TEST VAGEN')}&number=100`);
      expect(sloppy.body.map((p: { pointId: string }) => p.pointId)).toEqual(['ABC123', 'NORR1234']);
      const wholeStreet = await get('/availability/?street=testvagen');
      expect(wholeStreet.body.length).toBeGreaterThanOrEqual(7);
      expect((await get('/availability/?street=Testvägen&number=999')).body).toEqual([]);
      expect((await get('/availability/?street=Testvägen&city=Solna')).body).toEqual([]);
    });

    it('finds a generated address with its littera written into the number', async () => {
      const withLittera = await stack.db.orm.em.fork().findOneOrFail(FibrePointSchema, { littera: 'B', pointType: 'H' }, { orderBy: { pointId: 'asc' } });
      const res = await get(`/availability/?street=${encodeURIComponent(withLittera.street.toUpperCase())}&number=${withLittera.number}b&city=${encodeURIComponent(withLittera.city)}`);
      expect(res.body.map((p: { pointId: string }) => p.pointId)).toContain(withLittera.pointId);
      expect(res.body.every((p: { address: { littera: string } }) => p.address.littera === 'B')).toBe(true);
    });

    it('rejects an address search without street, naming the field', async () => {
      const res = await get('/availability/?city=Ankeborg');
      expect(res.status).toBe(400);
      expect(res.body.cause).toMatch(/^street: /);
    });
  });

  describe('GET invoiceGroup and frameworkAgreement', () => {
    it('lists the client\'s own, with the seed\'s GUID for the demo client', async () => {
      const groups = await get('/invoiceGroup');
      expect(groups.status).toBe(200);
      expect(groups.body[0]).toEqual({ name: 'Client', clientNumber: '9834', invoiceGroupid: SEED_FIBRE_GUID, invoiceGroupId: SEED_FIBRE_GUID, invoiceGroupNumber: '1122' });
      expect(groups.body).toHaveLength(2);
      const agreements = await get('/frameworkAgreement');
      expect(agreements.body[0]).toEqual({ name: 'Client', isStandard: true, frameworkAgreementId: SEED_FIBRE_GUID, masterSystemId: SEED_FIBRE_GUID });
      expect(agreements.body.map((a: { isStandard: boolean }) => a.isStandard)).toEqual([true, false]);
    });

    it('shows another client only its own', async () => {
      const groups = await get('/invoiceGroup', other);
      expect(groups.body.map((g: { invoiceGroupId: string }) => g.invoiceGroupId)).toEqual([FIBRE_DEMO.otherInvoiceGroupId]);
      const agreements = await get('/frameworkAgreement', other);
      expect(agreements.body.map((a: { frameworkAgreementId: string }) => a.frameworkAgreementId)).toEqual([FIBRE_DEMO.otherFrameworkAgreementId]);
    });
  });

  describe('POST priceEstimate', () => {
    it('answers the seed\'s example per supplier and product, with price items and the client\'s standard agreement', async () => {
      const res = await estimate(SEED_PRICE_ESTIMATE);
      expect(res.status).toBe(200);
      expect(res.body.map((s: { supplier: string }) => s.supplier)).toEqual(['STOKAB', 'SVEANET']);
      const [stokab] = res.body[0].products;
      expect(stokab).toMatchObject({ productId: FIBRE_DEMO.stokabPoint2PointId, name: 'Point2Point', status: 'AVAILABLE', subProducts: [], optionalProducts: [] });
      expect(stokab.price.status).toBe('ESTIMATED');
      expect(stokab.price.items.map((i: { name: string }) => i.name)).toEqual([
        'Connection based on distance',
        'Establishment',
        'Redundancy Full',
        'Service level Premium',
      ]);
      // One pair and one single fibre: three fibres over the 200 m minimum.
      expect(stokab.price.items[0].parameters).toEqual(
        expect.arrayContaining([{ name: 'distance', value: '0' }, { name: 'noOfFiberPairs', value: '1' }, { name: 'noOfSingleFibers', value: '1' }]),
      );
      const sum = (key: 'oneTimeFee' | 'monthlyFee') => stokab.price.items.reduce((s: number, i: Record<string, number>) => s + i[key]!, 0);
      expect(stokab.price.oneTimeFee).toBeCloseTo(sum('oneTimeFee'), 2);
      expect(stokab.price.monthlyFee).toBeCloseTo(sum('monthlyFee'), 2);
      // ABC123 has no SVEANET fibre: listed, not priced, with the reason.
      expect(res.body[1].products[0]).toMatchObject({ name: 'Point2Point', status: 'NOT_AVAILABLE', price: null, comment: 'SVEANET has no fibre at ABC123' });
    });

    it('prices by distance: ABC123 to CDE678 is the seed\'s 987 m, and a framework agreement with a discount lowers the monthly fee', async () => {
      const body = { ...SEED_PRICE_ESTIMATE, to: { pointId: 'CDE678' }, redundancy: { type: 'NoReduncancy', toPointId: null }, serviceLevel: 'Base', products: 'Point2Point', noOfSingleFibers: 0 };
      const standard = await estimate(body);
      expect(standard.status).toBe(200);
      const price = standard.body[0].products[0].price;
      expect(price.items[0].parameters).toContainEqual({ name: 'distance', value: '987' });
      expect(price).toMatchObject({ oneTimeFee: 24805, monthlyFee: 793.5 });
      const discounted = await estimate({ ...body, frameworkAgreementId: FIBRE_DEMO.demoDiscountAgreementId, invoiceGroupId: SEED_FIBRE_GUID });
      expect(discounted.body[0].products[0].price).toMatchObject({ oneTimeFee: 24805, monthlyFee: 714.15 });
    });

    it('prices Star on one point; the corrected spellings give the same answer as the seed\'s', async () => {
      const seedSpelling = await estimate({ from: { pointId: 'CDE678' }, to: null, products: 'Star', NumberOfFiberPairs: 2, noOfSinglePairs: 1, redundancy: { type: 'NoReduncancy' } });
      const corrected = await estimate({ from: { pointId: 'CDE678' }, products: 'Star', noOfFiberPairs: 2, noOfSingleFibers: 1, redundancy: { type: 'NoRedundancy' } });
      expect(seedSpelling.status).toBe(200);
      expect(seedSpelling.body).toEqual(corrected.body);
      expect(seedSpelling.body.map((s: { supplier: string; products: { name: string; status: string }[] }) => [s.supplier, s.products[0]!.name, s.products[0]!.status])).toEqual([
        ['STOKAB', 'Star', 'AVAILABLE'],
        ['SVEANET', 'Star', 'AVAILABLE'],
      ]);
    });

    it('rejects malformed requests with 400 naming each field', async () => {
      const cases: [unknown, string][] = [
        [{ ...SEED_PRICE_ESTIMATE, contractPeriodMonths: 24 }, 'contractPeriodMonths: must be one of 12, 36, 60'],
        [{ ...SEED_PRICE_ESTIMATE, redundancy: { type: 'Partial' } }, 'redundancy.type: must be one of NoRedundancy, NoReduncancy, Normal, Full'],
        [{ ...SEED_PRICE_ESTIMATE, serviceLevel: 'Platinum' }, 'serviceLevel: must be one of Base, Gold, Premium'],
        [{ ...SEED_PRICE_ESTIMATE, products: 'Ring' }, 'products: must be one of All, Point2Point, Star'],
        [{ ...SEED_PRICE_ESTIMATE, invoiceGroupId: 'not-a-guid' }, 'invoiceGroupId: must be a GUID'],
        [{ ...SEED_PRICE_ESTIMATE, NumberOfFiberPairs: 1.5 }, 'NumberOfFiberPairs: must be a whole number'],
      ];
      for (const [body, cause] of cases) {
        const res = await estimate(body);
        expect([res.status, res.body.cause]).toEqual([400, expect.stringContaining(cause)]);
      }
      const noBody = await request(stack.app).post('/api/1.0/priceEstimate').set('Authorization', `Bearer ${demo}`).set('Content-Type', 'application/json').send('{"from":');
      expect(noBody.status).toBe(400);
    });

    it('answers 422 naming the field when well-formed fields contradict each other', async () => {
      const cases: [unknown, string][] = [
        [{ ...SEED_PRICE_ESTIMATE, noOfFiberPairs: 2 }, 'NumberOfFiberPairs: disagrees with noOfFiberPairs'],
        [{ ...SEED_PRICE_ESTIMATE, NumberOfFiberPairs: 0, noOfSingleFibers: 0 }, 'noOfFiberPairs: at least one fibre pair or single fibre is required'],
        [{ ...SEED_PRICE_ESTIMATE, products: 'Star' }, 'to: must be null: Star connects one point'],
        [{ ...SEED_PRICE_ESTIMATE, products: 'Point2Point', to: null }, 'to: is required: Point2Point connects two points'],
        [{ ...SEED_PRICE_ESTIMATE, from: null, to: null }, 'from: at least one point is required'],
      ];
      for (const [body, cause] of cases) {
        const res = await estimate(body);
        expect([res.status, res.body.cause]).toEqual([422, expect.stringContaining(cause)]);
        expect(Object.keys(res.body).sort()).toEqual(['cause', 'errors', 'message']);
      }
    });

    it('answers 422 for a product id whose product does not fit the points or the filter', async () => {
      const star = await estimate({ ...SEED_PRICE_ESTIMATE, productId: FIBRE_DEMO.stokabStarId });
      expect([star.status, star.body.cause]).toEqual([422, 'to: Star connects 1 point(s); the request names 2']);
      const filter = await estimate({ ...SEED_PRICE_ESTIMATE, products: 'Point2Point', productId: FIBRE_DEMO.stokabStarId });
      expect([filter.status, filter.body.cause]).toEqual([422, `products: is Point2Point, but productId ${FIBRE_DEMO.stokabStarId} is a Star`]);
      const one = await estimate({ ...SEED_PRICE_ESTIMATE, productId: FIBRE_DEMO.sveanetPoint2PointId, to: { pointId: 'CDE678' }, from: { pointId: 'CBA123' } });
      expect(one.body.map((s: { supplier: string }) => s.supplier)).toEqual(['SVEANET']);
    });

    it('answers 404 with a cause for an unknown point, product, or another client\'s invoice group or agreement', async () => {
      const cases: [unknown, string][] = [
        [{ ...SEED_PRICE_ESTIMATE, to: { pointId: 'NOPE999' } }, 'to.pointId: No network point NOPE999'],
        [{ ...SEED_PRICE_ESTIMATE, redundancy: { type: 'Full', toPointId: 'NOPE998' } }, 'redundancy.toPointId: No network point NOPE998'],
        [{ ...SEED_PRICE_ESTIMATE, productId: '00000000-0000-4000-8000-000000000000' }, 'productId: No product 00000000-0000-4000-8000-000000000000'],
        [{ ...SEED_PRICE_ESTIMATE, invoiceGroupId: FIBRE_DEMO.otherInvoiceGroupId }, `invoiceGroupId: Invoice group ${FIBRE_DEMO.otherInvoiceGroupId} not found for this client`],
        [{ ...SEED_PRICE_ESTIMATE, frameworkAgreementId: FIBRE_DEMO.otherFrameworkAgreementId }, `frameworkAgreementId: Framework agreement ${FIBRE_DEMO.otherFrameworkAgreementId} not found`],
      ];
      for (const [body, cause] of cases) {
        const res = await estimate(body);
        expect([res.status, res.body.cause]).toEqual([404, expect.stringContaining(cause)]);
        expect(Object.keys(res.body).sort()).toEqual(['cause', 'errors', 'message']);
      }
      // The seed's GUID is the demo client's: for another client it does not exist.
      const foreign = await estimate({ ...SEED_PRICE_ESTIMATE, invoiceGroupId: SEED_FIBRE_GUID }, other);
      expect(foreign.status).toBe(404);
      expect((await estimate({ ...SEED_PRICE_ESTIMATE, invoiceGroupId: SEED_FIBRE_GUID })).status).toBe(200);
    });
  });

  it('publishes every reference endpoint in the OpenAPI document', async () => {
    const doc = await request(stack.app).get('/openapi.json');
    for (const path of ['/api/1.0/feasibility', '/api/1.0/availability/{pointId}', '/api/1.0/availability/', '/api/1.0/priceEstimate', '/api/1.0/invoiceGroup', '/api/1.0/frameworkAgreement']) {
      expect(Object.keys(doc.body.paths)).toContain(path);
    }
  });
});
