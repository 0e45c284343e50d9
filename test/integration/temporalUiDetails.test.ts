import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { esimOrderWorkflowId } from '../../src/workflows/esimOrders/contract';
import { fibreOrderWorkflowId } from '../../src/workflows/fibre/orderContract';
import { mefOrderWorkflowId } from '../../src/workflows/mefOrders/contract';
import { offerInquiryWorkflowId } from '../../src/workflows/fibre/inquiryContract';
import { salesLeadWorkflowId } from '../../src/workflows/salesLeads/contract';
import { BusinessReference } from '../../src/workflows/shared/searchAttributes';
import { api, Api, signIn } from '../support/api';
import { seedNewEsim } from '../support/esimOrders';
import { eventually } from '../support/eventually';
import { FIBRE_BASE, orderBody, syncInquiry } from '../support/fibreInquiryBodies';
import { validLead } from '../support/leads';
import { mefOrder } from '../support/mefOrders';
import { personalValuesOfMefOrder } from '../support/personalData';
import { useStack } from '../support/harness';

/**
 * Issue 13: an operator quoted a reference finds the order in the Temporal Web UI
 * and reads what it is from its summary and details, and none of those fields (nor
 * any search attribute) shows a person.
 */
describe('the Temporal UI explains each order started through the API', () => {
  const stack = useStack('libsql', { configEnv: { SIM_FIBRE_SUPPLIER_LATENCY_MS: '0', SIM_MEF_SELLER_LATENCY_MS: '0' } });
  let env: TestWorkflowEnvironment, demo: Api;
  beforeAll(async () => {
    const signedIn = await signIn(stack);
    env = signedIn.env;
    demo = api(signedIn.h, signedIn.demo);
  });

  /** What the UI shows of a workflow: its summary, its details and every search attribute's value. */
  async function uiOf(workflowId: string) {
    const desc = await env.client.workflow.getHandle(workflowId).describe();
    const summary = (await desc.staticSummary()) ?? '';
    const details = (await desc.staticDetails()) ?? '';
    const attributes = desc.typedSearchAttributes.getAll().map((pair) => String(pair.value));
    return { summary, details, reference: desc.typedSearchAttributes.get(BusinessReference), everything: [summary, details, ...attributes].join('\n') };
  }

  function expectNoPersonalData(everything: string, personal: string[]) {
    expect(personal.length).toBeGreaterThan(0);
    for (const value of personal) expect({ value, shown: everything.includes(value) }).toEqual({ value, shown: false });
  }

  /** Visibility is eventually consistent: the query finds a new workflow within seconds, not at once. */
  async function expectFoundBy(reference: string, workflowIds: string[]) {
    await eventually(async () => {
      const found: string[] = [];
      for await (const wf of env.client.workflow.list({ query: `BusinessReference = '${reference}'` })) found.push(wf.workflowId);
      expect(found.sort()).toEqual([...workflowIds].sort());
    }, 20_000, 250);
  }

  it('a sales lead: the summary names the CO and access point, the details the orderId, accessId, coId and products; found by its accessId', async () => {
    const lead = validLead({ accessId: 'ACCESS-UI-0001' });
    const res = await demo.post('/2.5/sp_spec/sales_leads/', lead);
    expect(res.status).toBe(200);
    const workflowId = salesLeadWorkflowId(res.body.orderId);

    const ui = await uiOf(workflowId);
    expect(ui.summary).toBe('Sales lead from Acme for access point ACCESS-UI-0001, 1 product');
    for (const ref of [res.body.orderId, 'ACCESS-UI-0001', 'Acme', lead.products[0]!.productId, lead.products[0]!.offeringId]) expect(ui.details).toContain(ref);
    expect(ui.reference).toBe('ACCESS-UI-0001');
    const c = lead.customerDetails;
    expectNoPersonalData(ui.everything, [c.personalIdentityNumber!, c.customerFirstname, c.customerLastName, c.customerPhone!, c.customerMobilePhone!, c.customerEmail!, c.invoiceDetails!.streetName]);
    await expectFoundBy('ACCESS-UI-0001', [workflowId]);
  });

  it('an eSIM order: operation, products, ICCID count and country, never the customer\'s e-mail; found by its externalId', async () => {
    const body = seedNewEsim();
    const res = await demo.post('/esim/v1/order', body).set('Idempotency-Key', 'ui-esim-1');
    expect(res.status).toBe(201);
    const { externalId } = res.body as { externalId: string };
    const workflowId = esimOrderWorkflowId(externalId);

    const ui = await uiOf(workflowId);
    expect(ui.summary).toBe('NEW_ESIM in PT: 1 product, 0 ICCIDs');
    for (const ref of [externalId, 'NEW_ESIM', 'a3u3z000000PZBhAAO', 'PT']) expect(ui.details).toContain(ref);
    expect(ui.reference).toBe(externalId);
    expectNoPersonalData(ui.everything, [body.input.customer.email, body.input.device.id]);
    await expectFoundBy(externalId, [workflowId]);
  });

  it('an offer inquiry and the order on it: both show and are found by the inquiryNumber the client got back; no person of the order shows', async () => {
    const inquiryBody = syncInquiry();
    const inquiry = await demo.post(`${FIBRE_BASE}/offerInquiry`, inquiryBody);
    expect(inquiry.status).toBe(201);
    const { inquiryId, inquiryNumber } = inquiry.body as { inquiryId: string; inquiryNumber: string };
    expect(inquiryNumber).toMatch(/^SP-\d{6}$/);
    const inquiryUi = await uiOf(offerInquiryWorkflowId(inquiryId));
    // The number the API took before the start is the one the workflow answered with.
    expect(inquiryUi.summary).toBe(`Offer inquiry ref ${String(inquiryBody.referenceId)}: STOKAB Point2Point`);
    for (const ref of [inquiryId, String(inquiryBody.referenceId), 'STOKAB', 'Point2Point']) expect(inquiryUi.details).toContain(ref);
    // The workflow allocates the number (the API writes nothing) and sets it as the reference.
    expect(inquiryUi.reference).toBe(inquiryNumber);

    const body = orderBody(inquiryId);
    const order = await demo.post(`${FIBRE_BASE}/orders`, body);
    expect(order.status).toBe(201);
    const { orderId } = order.body as { orderId: string };
    const orderUi = await uiOf(fibreOrderWorkflowId(orderId));
    expect(orderUi.summary).toMatch(new RegExp(`^Fibre order on inquiry ${inquiryNumber}: STOKAB Point2Point, delivery in \\d+ days$`));
    for (const ref of [orderId, inquiryNumber, inquiryId, 'STOKAB']) expect(orderUi.details).toContain(ref);
    expect(orderUi.reference).toBe(inquiryNumber);
    const people = [body.responsiblePerson, body.endCustomer] as { firstName: string; lastName: string; phoneNumber: string; email: string }[];
    expectNoPersonalData(orderUi.everything, people.flatMap((p) => [p.firstName, p.lastName, p.phoneNumber, p.email]));

    await expectFoundBy(inquiryNumber, [offerInquiryWorkflowId(inquiryId), fibreOrderWorkflowId(orderId)]);
  });

  it('a MEF order: buyer PO number, buyer, seller, type and item count, no contact or site address; found by the buyerPurchaseOrderNumber', async () => {
    const body = mefOrder();
    const res = await demo.post('/orders', body);
    expect(res.status).toBe(201);
    const workflowId = mefOrderWorkflowId(res.body.id);

    const ui = await uiOf(workflowId);
    expect(ui.summary).toBe(`MEF ACCESS_EPL order ${body.buyerPurchaseOrderNumber} from Verizon to Cox Spectrum Business, 2 items`);
    for (const ref of [res.body.id, body.buyerPurchaseOrderNumber, 'Verizon', 'Cox Spectrum Business', 'ACCESS_EPL']) expect(ui.details).toContain(ref);
    expect(ui.reference).toBe(body.buyerPurchaseOrderNumber);
    expectNoPersonalData(ui.everything, personalValuesOfMefOrder(body));
    await expectFoundBy(body.buyerPurchaseOrderNumber, [workflowId]);
  });
});
