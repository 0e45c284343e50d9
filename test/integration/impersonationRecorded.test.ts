import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { DEMO_CLIENTS_FILE } from '../../src/api/shared/auth';
import { PublicIdSchema } from '../../src/db/entities';
import { eventually } from '../support/eventually';
import { future, seedNewEsim } from '../support/esimOrders';
import { asyncInquiry, FIBRE_BASE } from '../support/fibreInquiryBodies';
import { useStack } from '../support/harness';
import { validLead } from '../support/leads';
import { mefOrder } from '../support/mefOrders';

// The demo clients plus an agency that may act for `demo` with every role, so one token
// reaches all four families (the demo broker holds only CLIENT: the price API).
const CLIENTS_FILE = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'impersonation-')), 'clients.json');
const demoClients = JSON.parse(fs.readFileSync(DEMO_CLIENTS_FILE, 'utf8')) as { clients: Record<string, unknown>[] };
fs.writeFileSync(
  CLIENTS_FILE,
  JSON.stringify({
    clients: [
      ...demoClients.clients,
      { clientId: 'agency', secret: 'agency-secret', tenantId: 'agency', roles: ['CO', 'RESELLER', 'ACCOUNT_MANAGER', 'CLIENT', 'BUYER'], mayImpersonate: ['demo'] },
    ],
  }),
);

/**
 * Impersonation is accountable in every family: an order or inquiry created by a client
 * acting for another records who really sent it (public_ids.impersonated_by), the fibre
 * feed item keeps it beside the item, and Temporal shows it to ops (memo, start details).
 */
describe('what a client does acting for another is recorded as its own', () => {
  const stack = useStack('libsql', { configEnv: { CLIENTS_FILE, FIBRE_ASYNC_ANSWER_DELAY: '1 second', SIM_FIBRE_SUPPLIER_LATENCY_MS: '0' } });

  it('records impersonatedBy for a sales lead, an eSIM order, a fibre inquiry and its feed item, and a MEF order', async () => {
    const { h, db, env } = stack;
    const auth = await request(h.app).get('/api/1.0/auth').query({ impersonate: 'demo' }).auth('agency', 'agency-secret');
    expect(auth.status).toBe(200);
    const as = (r: request.Test) => r.set('Authorization', `Bearer ${auth.body.accessToken as string}`);

    const lead = await as(request(h.app).post('/2.5/sp_spec/sales_leads/')).send(validLead());
    expect(lead.status).toBe(200);
    const esim = await as(request(h.app).post('/esim/v1/order')).set('Idempotency-Key', 'impersonated-esim').send(seedNewEsim(future(30)));
    expect(esim.status).toBe(201);
    const inquiry = await as(request(h.app).post(`${FIBRE_BASE}/offerInquiry`)).send(asyncInquiry());
    expect(inquiry.status).toBe(201);
    const mef = await as(request(h.app).post('/orders')).send(mefOrder());
    expect(mef.status).toBe(201);

    const workflowIds = [
      `sales-lead-${lead.body.orderId as string}`,
      `esim-order-${esim.body.externalId as string}`,
      `offer-inquiry-${inquiry.body.inquiryId as string}`,
      `mef-order-${mef.body.id as string}`,
    ];
    await eventually(async () => {
      const rows = await db.orm.em.fork().find(PublicIdSchema, { workflowId: { $in: workflowIds } }, { orderBy: { workflowId: 'asc' } });
      expect(rows.map((r) => [r.workflowId, r.tenantId, r.impersonatedBy])).toEqual([...workflowIds].sort().map((id) => [id, 'demo', 'agency']));
    }, 20_000);
    // The async inquiry's feed item, answered by the simulated supplier a second later.
    await eventually(async () => {
      const [item] = await db.orm.em
        .getConnection()
        .execute<{ tenant_id: string; impersonated_by: string | null; item: string }[]>('select tenant_id, impersonated_by, item from feed_entries where feed = ? and entity_id = ?', [
          'inquiries',
          inquiry.body.inquiryId as string,
        ]);
      expect([item?.tenant_id, item?.impersonated_by]).toEqual(['demo', 'agency']);
      // Beside the item, never in it: the item is the seed's shape.
      expect(item?.item).not.toContain('agency');
    }, 30_000);

    const described = await env.client.workflow.getHandle(workflowIds[3]!).describe();
    expect(described.memo).toMatchObject({ impersonatedBy: 'agency' });
    expect(await described.staticDetails()).toContain('Sent by `agency`, acting for this tenant\'s client (impersonation).');
  });

  it('records nothing of the kind for a client acting for itself', async () => {
    const { h, db } = stack;
    const lead = await request(h.app).post('/2.5/sp_spec/sales_leads/').set('Authorization', `Bearer ${await h.token('demo')}`).send(validLead());
    expect(lead.status).toBe(200);
    await eventually(async () => {
      const row = await db.orm.em.fork().findOne(PublicIdSchema, { workflowId: `sales-lead-${lead.body.orderId as string}` });
      expect([row?.tenantId, row?.impersonatedBy]).toEqual(['demo', null]);
    }, 20_000);
  });
});
