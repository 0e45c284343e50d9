import { esimOrderWorkflowId } from '../../src/workflows/esimOrders/contract';
import { salesLeadWorkflowId } from '../../src/workflows/salesLeads/contract';
import { ENCRYPTED_ENCODING } from '../../src/temporal/payloadCodec';
import { api, signIn } from '../support/api';
import { eventually } from '../support/eventually';
import { seedNewEsim, seedTopup } from '../support/esimOrders';
import { deriveId } from '../../src/api/shared/idempotency';
import { Harness, testConfig, useStack } from '../support/harness';
import { validLead } from '../support/leads';
import { OpsListener, startOpsListener } from '../support/opsListener';
import { temporalCli } from '../support/temporalCli';
import type { TestWorkflowEnvironment } from '@temporalio/testing';

/**
 * Issue 13: no personal data in clear in Temporal. A lead and an eSIM order carrying
 * distinctive personal data go through the API and the worker; their histories are then
 * read raw, as anyone with access to the Temporal server (or its database) would read
 * them, with the `temporal` CLI and no codec.
 */
const LEAD_PERSON = {
  personalIdentityNumber: '198507099805',
  customerFirstname: 'Ingegerd',
  customerLastName: 'Kodeksdottir',
  customerPhone: '08-765 432 10',
  customerMobilePhone: '+46709876543',
  customerEmail: 'ingegerd.kodeksdottir@example.se',
};
const LEAD_STREET = 'Chiffergatan';
const ESIM_PERSON = { email: 'bartholomew.cipherton@example.com', firstName: 'Bartholomew', lastName: 'Cipherton' };
// A TOPUP for an unknown customer is refused, and the refusal names the e-mail (seed 001's message).
const REFUSED_EMAIL = 'zebedee.refusenik@example.com';
const PERSONAL = [...Object.values(LEAD_PERSON), LEAD_STREET, ...Object.values(ESIM_PERSON), REFUSED_EMAIL];
// The identity number also without its century, as a careless copy would hold it.
const NEEDLES = [...PERSONAL, LEAD_PERSON.personalIdentityNumber.slice(2)];

const FAST_ESIM = { SIM_ESIM_POLLS_UNTIL_READY: '1', ESIM_POLL_INITIAL_INTERVAL: '200ms', ESIM_POLL_MAX_INTERVAL: '1s', SIM_ESIM_LATENCY_MS: '0' };

interface FoundPayload {
  path: string;
  encoding: string;
  data: Buffer;
}

/** Every payload in CLI JSON output: an object with base64 `metadata.encoding`, wherever it sits. */
function payloadsIn(node: unknown, path = ''): FoundPayload[] {
  if (!node || typeof node !== 'object') return [];
  const found: FoundPayload[] = [];
  const o = node as Record<string, unknown>;
  const metadata = o.metadata as Record<string, string> | undefined;
  if (metadata && typeof metadata.encoding === 'string') {
    found.push({ path, encoding: Buffer.from(metadata.encoding, 'base64').toString('utf8'), data: Buffer.from(String(o.data ?? ''), 'base64') });
  }
  for (const [key, value] of Object.entries(o)) found.push(...payloadsIn(value, `${path}.${key}`));
  return found;
}

const personalDataIn = (text: string) => NEEDLES.filter((needle) => text.toLowerCase().includes(needle.toLowerCase()));

describe('personal data of submitted orders in Temporal', () => {
  const stack = useStack('libsql', { configEnv: FAST_ESIM });
  let env: TestWorkflowEnvironment, h: Harness, demo: string;
  let ops: OpsListener;
  const workflows: { id: string; result: unknown }[] = [];

  beforeAll(async () => {
    ({ env, h, demo } = await signIn(stack));
    ops = await startOpsListener(testConfig(), { auth: 'ops-token' });

    const lead = await api(h, demo).post('/2.5/sp_spec/sales_leads/', validLead({}, { ...LEAD_PERSON, invoiceDetails: { streetName: LEAD_STREET, streetNumber: '7', streetLittera: 'B', postalCode: '123 45', city: 'Ankeborg' } }));
    expect(lead.status).toBe(200);
    const esimBody = seedNewEsim();
    const esim = await api(h, demo).post('/esim/v1/order', { input: { ...esimBody.input, customer: { ...ESIM_PERSON, countryOfResidence: 'SE' } } });
    expect(esim.status).toBe(201);

    const leadDone = await eventually(async () => {
      const res = await api(h, demo).get(`/2.5/sp_spec/sales_leads/${lead.body.orderId}`);
      expect(res.body.status).toBe('ACTIVATED');
      return res.body;
    }, 30_000);
    const esimDone = await eventually(async () => {
      const res = await api(h, demo).get(`/esim/v1/order/${esim.body.externalId}`);
      expect(res.body.status).toBe('COMPLETED');
      // Its last answer, the one the workflow returns: COMPLETED comes first with the plan still SCHEDULED (issue 16).
      expect(res.body.output.subscriptions.map((s: { state: string }) => s.state)).toEqual(['ACTIVE']);
      return res.body;
    }, 30_000);
    workflows.push({ id: salesLeadWorkflowId(lead.body.orderId), result: leadDone }, { id: esimOrderWorkflowId(esim.body.externalId), result: esimDone });

    const key = `refused-${Date.now()}`;
    const refused = await api(h, demo)
      .post('/esim/v1/order', { input: { ...seedTopup().input, customer: { email: REFUSED_EMAIL, countryOfResidence: 'SE' } } })
      .set('Idempotency-Key', key);
    // The partner still reads the whole reason: only Temporal's copy of it is encrypted.
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ code: 'CUSTOMER_MUST_EXIST', message: expect.stringContaining(REFUSED_EMAIL) });
    refusedWorkflowId = esimOrderWorkflowId(deriveId('demo', 'esim-order', key));
  });
  let refusedWorkflowId = '';

  it('keeps a refusal\'s message, which names the customer, encrypted in history too', async () => {
    const out = await raw('show', refusedWorkflowId);
    expect(out).toMatch(/WORKFLOW_EXECUTION_FAILED|WorkflowExecutionFailed|workflowExecutionFailedEventAttributes/);
    expect(personalDataIn(out)).toEqual([]);
    const failure = await env.client.workflow.getHandle(refusedWorkflowId).result().then(() => undefined, (e: Error) => e);
    expect(String((failure as { cause?: Error })?.cause?.message)).toContain(REFUSED_EMAIL);
  });
  afterAll(async () => {
    await ops?.close();
  });

  const raw = (command: 'show' | 'describe', workflowId: string, ...extra: string[]) =>
    temporalCli(['workflow', command, '--address', env.address, '--namespace', 'default', '--workflow-id', workflowId, '--output', 'json', ...extra]);

  it('leaves no identity number, name, e-mail, phone or street in the raw history or description, even base64-decoded', async () => {
    for (const { id } of workflows) {
      for (const command of ['show', 'describe'] as const) {
        const out = await raw(command, id);
        expect({ id, command, inClear: personalDataIn(out) }).toEqual({ id, command, inClear: [] });
        const payloads = payloadsIn(JSON.parse(out));
        expect(payloads.length).toBeGreaterThan(0);
        for (const p of payloads) {
          const decoded = [p.data.toString('utf8'), p.data.toString('latin1')].join('\n');
          expect({ id, path: p.path, inPayload: personalDataIn(decoded) }).toEqual({ id, path: p.path, inPayload: [] });
        }
      }
    }
  });

  it('encrypts every payload but the search attributes and patch markers, which carry no personal data', async () => {
    // Search attributes: the server must read them. A patch marker's details (the patch id)
    // are written by the SDK's core, not through the codec.
    const readByServerOrCore = (path: string) => path.includes('.searchAttributes.indexedFields.') || path.includes('.markerRecordedEventAttributes.details.patch-data.');
    for (const { id } of workflows) {
      const payloads = payloadsIn(JSON.parse(await raw('show', id)));
      const clear = payloads.filter((p) => p.encoding !== ENCRYPTED_ENCODING);
      expect(clear.map((p) => p.path).filter((path) => !readByServerOrCore(path))).toEqual([]);
      // Inputs, results, memo and the static summary: a lead's history has more than a dozen.
      expect(payloads.length - clear.length).toBeGreaterThan(10);
    }
  });

  it('gives the client the workflow results decoded, the same answers the API gave', async () => {
    for (const { id, result } of workflows) {
      await expect(env.client.workflow.getHandle(id).result()).resolves.toEqual(result);
    }
  });

  it('shows the personal data to an operator whose CLI decodes through the codec endpoint with an OPS token', async () => {
    const opsToken = await h.token('ops');
    for (const { id } of workflows) {
      const out = await raw('show', id, '--codec-endpoint', ops.codecEndpoint, '--codec-auth', `Bearer ${opsToken}`);
      const decoded = payloadsIn(JSON.parse(out)).map((p) => `${p.encoding} ${p.data.toString('utf8')}`).join('\n');
      expect(decoded).not.toContain(ENCRYPTED_ENCODING);
      const expected = id.startsWith('sales-lead-') ? [...Object.values(LEAD_PERSON), LEAD_STREET] : Object.values(ESIM_PERSON);
      expect(expected.filter((v) => !decoded.includes(v))).toEqual([]);
    }
  });
});
