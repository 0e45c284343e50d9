import request from 'supertest';
import { FIBRE_DEMO } from '../../src/db/fibre/demoData';
import { FibreInquiryRecordSchema } from '../../src/db/entities';
import { offerInquiryWorkflowId } from '../../src/workflows/fibre/inquiryContract';
import { TenantId } from '../../src/workflows/shared/searchAttributes';
import { DATABASE_KINDS } from '../support/databases';
import { FIBRE_BASE, orderBody, syncInquiry } from '../support/fibreInquiryBodies';
import { useStack } from '../support/harness';

/**
 * Writes under impersonation, end to end: what a broker does for demo belongs to
 * demo (its tenant on the workflow and the read model), and the broker's own
 * identity cannot see it.
 */
describe.each(DATABASE_KINDS)('writes while impersonating, through the API, worker and dev server on %s', (kind) => {
  const stack = useStack(kind, { configEnv: { SIM_FIBRE_SUPPLIER_LATENCY_MS: '0' } });
  const token = async (clientId: string, impersonate?: string) => {
    const res = await request(stack.h.app)
      .get('/api/1.0/auth')
      .query(impersonate ? { impersonate } : {})
      .auth(clientId, `${clientId}-secret`);
    return res.body.accessToken as string;
  };
  const as = (t: string) => ({
    post: (path: string, body: unknown) => request(stack.h.app).post(`${FIBRE_BASE}${path}`).set('Authorization', `Bearer ${t}`).send(body as object),
    get: (path: string) => request(stack.h.app).get(`${FIBRE_BASE}${path}`).set('Authorization', `Bearer ${t}`),
  });

  it('files an inquiry and an order made by the broker for demo under demo, invisible to the broker itself and to other', async () => {
    const broker = as(await token('broker', 'demo'));
    const demo = as(await token('demo'));
    const brokerSelf = as(await token('broker'));
    const other = as(await token('other'));

    // The demo client's own invoice group and agreement are usable only because the token acts for demo.
    const inquiry = await broker.post('/offerInquiry', syncInquiry());
    expect(inquiry.status).toBe(201);
    expect(inquiry.body.status.state).toBe('DONE_SUCCESS');
    const { inquiryId } = inquiry.body;

    expect((await demo.get(`/inquiries/${inquiryId}`)).status).toBe(200);
    expect((await brokerSelf.get(`/inquiries/${inquiryId}`)).status).toBe(404);
    expect((await other.get(`/inquiries/${inquiryId}`)).status).toBe(404);
    const row = await stack.db.orm.em.fork().findOneOrFail(FibreInquiryRecordSchema, { inquiryId });
    expect(row.tenantId).toBe('demo');
    const desc = await stack.env.client.workflow.getHandle(offerInquiryWorkflowId(inquiryId)).describe();
    expect(desc.typedSearchAttributes.get(TenantId)).toBe('demo');

    // Demo may order what its broker inquired about; the broker as itself may not.
    expect((await brokerSelf.post('/orders', orderBody(inquiryId))).status).toBe(409);
    const order = await demo.post('/orders', orderBody(inquiryId));
    expect(order.status).toBe(201);
    expect((await broker.get(`/orders/${order.body.orderId}`)).status).toBe(200);
    expect((await brokerSelf.get(`/orders/${order.body.orderId}`)).status).toBe(404);
  });

  it('fails an inquiry by the broker as itself that names the demo client\'s invoice group', async () => {
    const brokerSelf = as(await token('broker'));
    const res = await brokerSelf.post('/offerInquiry', syncInquiry({ invoiceGroupId: FIBRE_DEMO.demoInvoiceGroupId }));
    // The inquiry workflow decides: the invoice group is not this client's, so the inquiry fails.
    // The inquiry workflow decides (seed §4's DONE_FAILED): the invoice group is not the broker's.
    expect(res.status).toBe(201);
    expect(res.body.status).toMatchObject({ state: 'DONE_FAILED', message: `Invoice group ${FIBRE_DEMO.demoInvoiceGroupId} not found for this client` });
  });
});
