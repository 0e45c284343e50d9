import jwt from 'jsonwebtoken';
import request from 'supertest';
import { FIBRE_DEMO, SEED_FIBRE_GUID } from '../../src/db/fibre/demoData';
import { useApiOnly } from '../support/apiOnly';
import { DATABASE_KINDS } from '../support/databases';

describe.each(DATABASE_KINDS)('price API impersonation on %s', (kind) => {
  const stack = useApiOnly(kind);
  const auth = (clientId: string, impersonate?: string) =>
    request(stack.app).get('/api/1.0/auth').query(impersonate ? { impersonate } : {}).auth(clientId, `${clientId}-secret`);
  const get = (path: string, token: string) => request(stack.app).get(`/api/1.0${path}`).set('Authorization', `Bearer ${token}`);
  const estimate = (token: string, over: Record<string, unknown> = {}) =>
    request(stack.app)
      .post('/api/1.0/priceEstimate')
      .set('Authorization', `Bearer ${token}`)
      .send({ from: { pointId: 'ABC123' }, to: { pointId: 'CDE678' }, ...over });

  it('gives a client allowed to act for another a token that names it in impersonating and in its claims', async () => {
    const res = await auth('broker', 'demo');
    expect(res.status).toBe(200);
    // Seed 002 §0: impersonating is the impersonated client's GUID (demo has the seed's example one).
    expect(res.body).toMatchObject({ impersonating: '47193bdf-7855-499b-96a1-f9d387556a9e', expiresIn: 3600 });
    const claims = jwt.decode(res.body.accessToken) as jwt.JwtPayload;
    expect(claims).toMatchObject({ sub: 'demo', tenant: 'demo', act: { sub: 'broker' }, roles: ['CLIENT'] });
    const byGuid = await auth('broker', '47193bdf-7855-499b-96a1-f9d387556a9e');
    expect(byGuid.body.impersonating).toBe('47193bdf-7855-499b-96a1-f9d387556a9e');
    expect(jwt.decode(byGuid.body.accessToken)).toMatchObject({ sub: 'demo', tenant: 'demo', act: { sub: 'broker' } });
    const plain = await auth('broker');
    expect(plain.body.impersonating).toBeNull();
    expect(jwt.decode(plain.body.accessToken)).toMatchObject({ sub: 'broker', tenant: 'broker' });
    expect((await auth('broker', 'broker')).body.impersonating).toBeNull();
  });

  it('scopes every read to the impersonated client: its invoice groups, agreements and prices with its GUIDs', async () => {
    const asDemo = (await auth('broker', 'demo')).body.accessToken as string;
    const own = (await auth('broker')).body.accessToken as string;

    const groups = await get('/invoiceGroup', asDemo);
    expect(groups.body.map((g: { invoiceGroupId: string }) => g.invoiceGroupId)).toEqual([SEED_FIBRE_GUID, FIBRE_DEMO.demoSecondInvoiceGroupId]);
    const agreements = await get('/frameworkAgreement', asDemo);
    expect(agreements.body.map((a: { frameworkAgreementId: string }) => a.frameworkAgreementId)).toContain(FIBRE_DEMO.demoDiscountAgreementId);
    expect((await estimate(asDemo, { invoiceGroupId: SEED_FIBRE_GUID, frameworkAgreementId: FIBRE_DEMO.demoDiscountAgreementId })).status).toBe(200);
    // The broker's own invoice group is not the impersonated client's.
    const brokersOwn = await estimate(asDemo, { invoiceGroupId: FIBRE_DEMO.brokerInvoiceGroupId });
    expect([brokersOwn.status, brokersOwn.body.cause]).toEqual([404, expect.stringMatching(/^invoiceGroupId: /)]);

    // Without impersonating, the broker sees only its own and cannot use demo's GUIDs.
    expect((await get('/invoiceGroup', own)).body.map((g: { invoiceGroupId: string }) => g.invoiceGroupId)).toEqual([FIBRE_DEMO.brokerInvoiceGroupId]);
    expect((await estimate(own, { invoiceGroupId: SEED_FIBRE_GUID })).status).toBe(404);
    expect((await estimate(own, { frameworkAgreementId: SEED_FIBRE_GUID })).status).toBe(404);
  });

  it('refuses with 403 to impersonate a client not allowed, unknown, or by a client allowed none', async () => {
    for (const [caller, target] of [
      ['broker', 'other'],
      ['broker', 'nobody'],
      ['demo', 'other'],
      ['guest', 'demo'],
    ] as const) {
      const res = await auth(caller, target);
      expect([res.status, res.body.cause]).toEqual([403, `Client ${caller} may not impersonate ${target}`]);
    }
  });

  it('checks the credentials before the impersonation: a wrong secret is 401', async () => {
    const res = await request(stack.app).get('/api/1.0/auth').query({ impersonate: 'demo' }).auth('broker', 'wrong');
    expect(res.status).toBe(401);
  });

  it('grants only the roles both clients hold: acting for demo gives no sales-lead (CO) access', async () => {
    const asDemo = (await auth('broker', 'demo')).body.accessToken as string;
    const lead = await request(stack.app).get('/2.5/sp_spec/sales_leads/anything').set('Authorization', `Bearer ${asDemo}`);
    expect(lead.status).toBe(403);
    expect((await get('/feasibility', asDemo)).status).toBe(200);
  });
});
