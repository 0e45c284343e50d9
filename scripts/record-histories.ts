import request from 'supertest';
import { DEMO_UNCONNECTABLE_ACCESS_ID } from '../src/db/salesLeads/demoData';
import { approveSignal, salesLeadWorkflowId } from '../src/workflows/salesLeads/contract';
import { eventually } from '../test/support/eventually';
import { validLead } from '../test/support/leads';
import { runRecording } from './histories/recordScenarios';

/**
 * Runs each sales-lead path once against a real dev server and saves its history
 * under test/fixtures/histories/sales-lead.v1.<scenario>.json (see recordScenarios).
 */
runRecording({
  settle: (handle) => eventually(() => handle.result(), 30_000),
  scenarios: ({ env, h, token }) => {
    const lead = async (body: object) => {
      const res = await request(h.app).post('/2.5/sp_spec/sales_leads/').set('Authorization', `Bearer ${token}`).send(body);
      return env.client.workflow.getHandle(salesLeadWorkflowId(res.body.orderId));
    };
    return {
      'sales-lead.v1.activated': () => lead(validLead()),
      'sales-lead.v1.rejected-by-assessment': () => lead(validLead({ accessId: 'ffffffffffffffffffffffffffffffff' })),
      'sales-lead.v1.rejected-by-provisioning': () => lead(validLead({ accessId: DEMO_UNCONNECTABLE_ACCESS_ID })),
      'sales-lead.v1.reviewed-and-approved': async () => {
        const handle = await lead(validLead({}, { identifiedCustomer: false, personalIdentityNumber: undefined }));
        await handle.signal(approveSignal, { message: 'ok' });
        return handle;
      },
    };
  },
});
