import { EsimOrderBodySchema } from '../../src/api/esimOrders/schema';
import { esimOrderStartDetails } from '../../src/api/esimOrders/startDetails';
import { OfferInquirySchema } from '../../src/api/fibre/inquiriesSchema';
import { FibreOrderSchema } from '../../src/api/fibre/ordersSchema';
import { fibreOrderStartDetails, offerInquiryStartDetails } from '../../src/api/fibre/startDetails';
import { mefOrderStartDetails } from '../../src/api/mefOrders/startDetails';
import { SalesLeadSchema } from '../../src/api/salesLeads/schema';
import { salesLeadStartDetails } from '../../src/api/salesLeads/startDetails';
import { detailsMarkdown, listOf, StartDetails, summaryLine } from '../../src/api/shared/startDetails';
import type { EsimOrderRequest } from '../../src/workflows/esimOrders/contract';
import type { FibreOrderRequest } from '../../src/workflows/fibre/orderContract';
import type { OfferForOrder, OfferInquiryRequest } from '../../src/workflows/fibre/inquiryContract';
import type { SalesLead } from '../../src/workflows/salesLeads/contract';
import { seedBulk, seedTopup } from '../support/esimOrders';
import { asyncInquiry, orderBody } from '../support/fibreInquiryBodies';
import { validLead } from '../support/leads';
import { mefOrder, SEED_CREATE_ORDER } from '../support/mefOrders';
import { personalValuesOfMefOrder } from '../support/personalData';

const ids = { tenantId: 'demo', correlationId: 'corr-1', requestHash: 'hash-1' };

/** Summary and details as one text, for "contains" and "never contains" checks. */
const shown = (d: StartDetails) => `${d.summary}\n${d.details}`;

function expectNoneOf(d: StartDetails, personal: string[]) {
  expect(personal.length).toBeGreaterThan(0);
  for (const value of personal) expect({ value, shown: shown(d).includes(value) }).toEqual({ value, shown: false });
}

function esimOrderOf(body: { input: unknown }): EsimOrderRequest {
  const { input } = EsimOrderBodySchema.parse(body);
  return { ...input, operationType: input.operationType === 'TOPUP_ACTIVATION' ? 'TOPUP' : input.operationType } as EsimOrderRequest;
}

describe('what the Temporal UI shows of an order from its start', () => {
  it('a sales lead: orderId, accessId, coId and products, BusinessReference the accessId, nothing of the customer', () => {
    const lead = SalesLeadSchema.parse(validLead()) as SalesLead;
    const d = salesLeadStartDetails({ ...ids, orderId: 'lead-0001', lead });
    for (const ref of ['lead-0001', lead.accessId, lead.coId, lead.products[0]!.productId, lead.products[0]!.offeringId]) expect(d.details).toContain(ref);
    expect(d.summary).toContain(lead.accessId);
    expect(d.businessReference).toBe(lead.accessId);
    const c = lead.customerDetails;
    expectNoneOf(d, [c.personalIdentityNumber!, c.customerFirstname, c.customerLastName, c.customerPhone!, c.customerMobilePhone!, c.customerEmail!, c.invoiceDetails!.streetName, c.invoiceDetails!.postalCode, c.invoiceDetails!.city]);
  });

  it('a BULK_ACTIVATION eSIM order: externalId, operation, product ids, ICCID count and country; no customer, device or ICCID', () => {
    const order = esimOrderOf(seedBulk());
    const d = esimOrderStartDetails({ ...ids, externalId: 'esim-0001', order });
    for (const ref of ['esim-0001', 'BULK_ACTIVATION', 'a3mM0000000Dcmr', 'a3mM0000000Dcmw', 'PT']) expect(d.details).toContain(ref);
    // The seed's two subscriptions name the same ICCID twice each: one SIM.
    expect(d.details).toMatch(/\| ICCIDs \| `1` \|/);
    expect(d.summary).toBe('BULK_ACTIVATION in PT: 2 products, 1 ICCID');
    expect(d.businessReference).toBe('esim-0001');
    expectNoneOf(d, [order.customer.email, order.customer.firstName, order.customer.lastName!, order.device.id, order.device.imei!, '8944474600000101811']);
  });

  it('a TOPUP eSIM order no longer shows the customer\'s e-mail, which its summary did', () => {
    const order = esimOrderOf(seedTopup());
    const d = esimOrderStartDetails({ ...ids, externalId: 'esim-0002', order });
    expect(d.summary).toBe('TOPUP in PT: 1 product, 1 ICCID');
    // firstName defaults to the e-mail (seed 001), so neither may show.
    expectNoneOf(d, [order.customer.email, order.customer.firstName, order.esim!.iccid!, order.device.id]);
  });

  it('an offer inquiry: inquiryId, referenceId, supplier and product, BusinessReference the inquiryId until the workflow has its number; not its comment', () => {
    const inquiry = OfferInquirySchema.parse(asyncInquiry()) as OfferInquiryRequest;
    const d = offerInquiryStartDetails({ ...ids, inquiryId: 'inq-0001', inquiry });
    for (const ref of ['inq-0001', inquiry.referenceId, 'STOKAB', inquiry.product.productId, 'Point2Point']) expect(d.details).toContain(ref);
    expect(d.summary).toBe(`Offer inquiry ref ${inquiry.referenceId}: STOKAB Point2Point, async`);
    expect(d.businessReference).toBe('inq-0001');
    // Free text: a client may write anything, names included.
    expectNoneOf(d, [inquiry.comment!]);
  });

  it('a fibre order: orderId, inquiryNumber, inquiryId, supplier and product, BusinessReference the inquiryNumber; no responsible person or end customer', () => {
    const order = FibreOrderSchema.parse(orderBody('inq-0001')) as FibreOrderRequest;
    const offer: OfferForOrder = {
      inquiryId: 'inq-0001',
      inquiryNumber: 'SP-100042',
      supplier: 'STOKAB',
      product: { productId: 'p2p-1', name: 'Point2Point', price: null },
      deliveryDurationDays: 45,
      connectionId: null,
      offerValidUntilDate: '2030-01-01',
    };
    const d = fibreOrderStartDetails({ ...ids, orderId: 'ord-0001', order, offer });
    for (const ref of ['ord-0001', 'SP-100042', 'inq-0001', 'STOKAB', 'p2p-1', 'Point2Point']) expect(d.details).toContain(ref);
    expect(d.summary).toBe('Fibre order on inquiry SP-100042: STOKAB Point2Point, delivery in 45 days');
    expect(d.businessReference).toBe('SP-100042');
    const people = [order.responsiblePerson, order.endCustomer];
    expectNoneOf(d, people.flatMap((p) => [p.firstName, p.lastName, p.phoneNumber, p.email]));
  });

  it('a MEF order: id, buyerPurchaseOrderNumber, buyer, seller, orderType and item count; no contact or site address', () => {
    const order = mefOrder();
    const d = mefOrderStartDetails({ ...ids, orderId: 'ORD-0001', receivedAt: '2026-01-01T00:00:00Z', order });
    for (const ref of ['ORD-0001', order.buyerPurchaseOrderNumber, 'Verizon', 'Cox Spectrum Business', 'ACCESS_EPL']) expect(d.details).toContain(ref);
    expect(d.details).toMatch(/\| orderItems \| `2` \|/);
    expect(d.summary).toBe(`MEF ACCESS_EPL order ${order.buyerPurchaseOrderNumber} from Verizon to Cox Spectrum Business, 2 items`);
    expect(d.businessReference).toBe(order.buyerPurchaseOrderNumber);
    expectNoneOf(d, personalValuesOfMefOrder(SEED_CREATE_ORDER));
  });
});

describe('the shape of the texts', () => {
  it('shows a partner\'s markdown, pipes and line breaks inside a reference as text, in one table row', () => {
    const md = detailsMarkdown('Order', [['ref', 'a|b`c\n| injected | row |'], ['empty', '']]);
    expect(md.split('\n')).toEqual(['**Order**', '', '| reference | value |', '| --- | --- |', "| ref | `a\\|b'c \\| injected \\| row \\|` |", '| empty | — |']);
  });

  it('keeps the summary on one line and within its byte budget, cutting whole characters', () => {
    const long = summaryLine(`Order\nfor ${'å'.repeat(500)}`);
    expect(long).not.toMatch(/\n/);
    expect(long.startsWith('Order for å')).toBe(true);
    expect(long.endsWith('…')).toBe(true);
    expect(Buffer.byteLength(long)).toBeLessThanOrEqual(160);
    expect(long).not.toContain('\uFFFD');
  });

  it('lists ten items and counts the rest', () => {
    const items = Array.from({ length: 13 }, (_, i) => `p${i}`);
    expect(listOf(items)).toBe('p0, p1, p2, p3, p4, p5, p6, p7, p8, p9 (+3 more)');
    expect(listOf(['p0'])).toBe('p0');
  });
});
