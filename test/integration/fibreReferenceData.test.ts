import { loadDemoData } from '../../src/db/demoData';
import { FibreFrameworkAgreementSchema, FibreInvoiceGroupSchema, FibrePointSchema, FibreProductSchema } from '../../src/db/entities';
import { FIBRE_DEMO, SEED_FIBRE_GUID } from '../../src/db/fibre/demoData';
import { findPoint, loadCatalogue, priceOffer, resolveClientAccounts } from '../../src/db/fibre/referenceData';
import type { PriceRequest } from '../../src/domain/fibre/pricing';
import { DATABASE_KINDS, freshDatabase, TestDatabase } from '../support/databases';
import { SEED_POINT_NORR1234 } from '../support/fibreSeed';

const request: PriceRequest = {
  from: { pointId: 'ABC123' },
  to: { pointId: 'CDE678' },
  redundancy: { type: 'NoRedundancy', toPointId: null },
  customerType: 'Commercial',
  serviceLevel: 'Base',
  contractPeriodMonths: 12,
  noOfFiberPairs: 1,
  noOfSingleFibers: 0,
};

describe.each(DATABASE_KINDS)('fibre reference data on %s', (kind) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await freshDatabase(kind);
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('holds over 1,000 generated points around Stockholm plus the seed\'s, and loading again changes nothing', async () => {
    const em = db.orm.em.fork();
    const before = await em.count(FibrePointSchema, {});
    expect(before).toBeGreaterThanOrEqual(1000);
    await loadDemoData(db.orm);
    expect(await em.count(FibrePointSchema, {})).toBe(before);
    expect(await em.count(FibreProductSchema, {})).toBe(4);
    const seedIds = await em.find(FibrePointSchema, { pointId: { $in: ['NORR1234', 'ABC123', 'CDE678', 'CBA123'] } });
    expect(seedIds.map((p) => p.pointId).sort()).toEqual(['ABC123', 'CBA123', 'CDE678', 'NORR1234']);
  });

  it('reads a point back exactly as seed 002 shows it, coordinates included', async () => {
    const point = await findPoint(db.orm, 'NORR1234');
    // Stored with the internal freeFibers, which toMatchObject leaves aside.
    expect(point).toMatchObject(SEED_POINT_NORR1234);
    expect(point!.relatedPointIds[0]).toBe('CDE678');
    expect(point!.suppliers[0]!.freeFibers).toBeGreaterThan(0);
    expect(await findPoint(db.orm, 'NOPE0000')).toBeNull();
  });

  it('keeps the seed GUID for the demo client\'s invoice group and standard framework agreement', async () => {
    const em = db.orm.em.fork();
    expect(await em.findOneOrFail(FibreInvoiceGroupSchema, { invoiceGroupId: SEED_FIBRE_GUID })).toMatchObject({ tenantId: 'demo', clientNumber: '9834', invoiceGroupNumber: '1122' });
    expect(await em.findOneOrFail(FibreFrameworkAgreementSchema, { frameworkAgreementId: SEED_FIBRE_GUID })).toMatchObject({ tenantId: 'demo', isStandard: true });
    const defaults = await resolveClientAccounts(db.orm, 'demo', {});
    expect(defaults).toMatchObject({ invoiceGroup: { invoiceGroupId: SEED_FIBRE_GUID }, frameworkAgreement: { frameworkAgreementId: SEED_FIBRE_GUID } });
    expect(await resolveClientAccounts(db.orm, 'other', { invoiceGroupId: SEED_FIBRE_GUID })).toMatchObject({ problem: 'UNKNOWN_INVOICE_GROUP', field: 'invoiceGroupId' });
  });

  it('lists suppliers in order, STOKAB first', async () => {
    const catalogue = await loadCatalogue(db.orm);
    expect(catalogue.products.map((p) => `${p.supplier}/${p.name}`)).toEqual(['STOKAB/Point2Point', 'STOKAB/Star', 'SVEANET/Point2Point', 'SVEANET/Star']);
  });

  it('prices an offer from the database: the seed\'s 987 m between ABC123 and CDE678, as an OFFER', async () => {
    const offer = await priceOffer(db.orm, { ...request, tenantId: 'demo', supplier: 'STOKAB', productId: FIBRE_DEMO.stokabPoint2PointId });
    expect(offer.ok).toBe(true);
    if (!offer.ok) return;
    expect(offer.product.price.status).toBe('OFFER');
    expect(offer.product.price.items[0]).toMatchObject({ name: 'Connection based on distance', parameters: expect.arrayContaining([{ name: 'distance', value: '987' }]) });
    expect(offer.deliveryDurationDays).toBeGreaterThanOrEqual(20);
  });

  it('says why an offer cannot be made: no capacity, no supplier, unknown product, another client\'s agreement', async () => {
    const noCap = await priceOffer(db.orm, { ...request, to: { pointId: 'NOCAP1' }, tenantId: 'demo', supplier: 'STOKAB', productName: 'Point2Point' });
    expect(noCap).toMatchObject({ ok: false, reason: 'NO_CAPACITY' });
    const noFibre = await priceOffer(db.orm, { ...request, to: { pointId: 'NOFIBER1' }, tenantId: 'demo', supplier: 'STOKAB', productName: 'Point2Point' });
    expect(noFibre).toMatchObject({ ok: false, reason: 'NOT_AT_POINT', message: 'STOKAB has no fibre at NOFIBER1' });
    const unknown = await priceOffer(db.orm, { ...request, tenantId: 'demo', supplier: 'STOKAB', productId: FIBRE_DEMO.sveanetStarId });
    expect(unknown).toMatchObject({ ok: false, reason: 'UNKNOWN_PRODUCT' });
    const foreign = await priceOffer(db.orm, { ...request, tenantId: 'other', frameworkAgreementId: SEED_FIBRE_GUID, supplier: 'STOKAB', productName: 'Point2Point' });
    expect(foreign).toMatchObject({ ok: false, reason: 'UNKNOWN_FRAMEWORK_AGREEMENT' });
  });
});
