import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import fc from 'fast-check';
import jwt from 'jsonwebtoken';
import request from 'supertest';
import { DATABASE_KINDS } from '../support/databases';
import { useStack, testConfig } from '../support/harness';
import { validLead } from '../support/leads';
import { seedBulk, seedNewEsim, seedTopup } from '../support/esimOrders';
import { asyncInquiry, orderBody, syncInquiry } from '../support/fibreInquiryBodies';
import { mefOrder } from '../support/mefOrders';
import { FIBRE_DEMO } from '../../src/db/fibre/demoData';
import {
  Credentials,
  describeRequest,
  documentedRequestsFor,
  DocumentedOperation,
  FuzzContext,
  FuzzRequest,
  operationsOf,
  requestsFor,
  send,
  violationOf,
} from '../support/fuzz/requests';
import { answerClientErrorsInFamilyShape } from '../../src/api/shared/clientErrors';

/**
 * Durability proof (issue 6) and contract proof (issue 14): every operation of
 * /openapi.json, fuzzed with requests generated from its own documented schemas.
 * (a) Broken in every way a client can break them, no answer is a 5xx or a status the
 * operation does not document. (b) Built from the document alone (every parameter and
 * the body from its schema, the `demo` client's token), no answer is a 400: what the
 * document allows, the server accepts, so every rule of the validators is in the
 * document; the only exceptions are the data-dependent 400s the seeds mandate
 * (DATA_DEPENDENT_400S), each in its documented form. (c) Every answer matches the schema documented for its status. On libsql,
 * and on PostgreSQL too when TEST_POSTGRES_URL is set.
 *
 * FUZZ_RUNS sets the requests per operation of (a) (default 80), FUZZ_VALID_RUNS those
 * of (b) (default 30); FUZZ_SEED replays a run (fast-check prints the seed and the
 * shrunk request of a failure).
 *
 * Known gap (b) does not probe: JSON Schema counts a string's length in code points,
 * zod in UTF-16 units, so an astral character near a maxLength is accepted by the
 * document and refused by the server; the generator leaves surrogates out.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 80);
const VALID_RUNS = Number(process.env.FUZZ_VALID_RUNS ?? 30);
const SEED = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);

const CLIENTS = ['demo', 'other', 'guest', 'ops', 'broker'];

/**
 * The 400s that depend on data rather than on the document, each kept for its seed and
 * documented in its operation's 400 (docs/http-conventions.md): the only 400s (b) lets a
 * request built from the document get, and only in their documented form. Any other
 * 400 there still fails (b).
 */
const DATA_DEPENDENT_400S: Record<string, { why: string; documented: (body: Record<string, unknown>) => boolean }> = {
  'POST /2.5/sp_spec/sales_leads/': {
    why: "seed 000's example: a product the catalogue does not have",
    // Read from `errors`, not by splitting `cause`: a generated productId may itself hold "; ".
    documented: (b) =>
      b.status === 'FAILED' &&
      Array.isArray(b.errors) &&
      b.errors.length > 0 &&
      (b.errors as { field: string; message: string }[]).every((e) => /^products\.\d+\.productId$/.test(e.field) && /^Unknown service: '[^]*'$/.test(e.message)) &&
      b.cause === (b.errors as { message: string }[]).map((e) => e.message).join('; '),
  },
  'POST /esim/v1/order': {
    why: "seed 001: a currency the customer does not support",
    documented: (b) =>
      b.code === 'INVALID_REQUEST_PARAMS' &&
      typeof b.message === 'string' &&
      /^input\.subscriptions\[\d+\]\.currency: [^]* is not a currency the customer supports/.test(b.message),
  },
};

/** (b)'s rule: no 400, unless it is one of DATA_DEPENDENT_400S in its documented form. */
function refusedWithout(op: DocumentedOperation, res: Awaited<ReturnType<typeof send>>): string | undefined {
  if (res.status !== 400) return undefined;
  const allowed = DATA_DEPENDENT_400S[`${op.method} ${op.path}`];
  if (allowed?.documented((res.body ?? {}) as Record<string, unknown>)) return undefined;
  return allowed ? `a 400 that is not the documented data-dependent one (${allowed.why})` : 'a request the document allows is answered 400';
}
const b64 = (s: string) => Buffer.from(s).toString('base64');

describe.each(DATABASE_KINDS)('fuzzing every endpoint of /openapi.json on %s', (kind) => {
  // Simulated systems without latency: the fuzz wants many requests, not waiting.
  const stack = useStack(kind, { configEnv: { SIM_ESIM_LATENCY_MS: '0', SIM_MEF_SELLER_LATENCY_MS: '0' } });
  let server: Server;
  let baseUrl: string;
  let operations: DocumentedOperation[];
  let ctx: FuzzContext;
  let demo: Credentials;
  // Per property, per operation: how often each status was answered.
  const tallies = { mutated: new Map<string, Map<number, number>>(), documented: new Map<string, Map<number, number>>() };

  beforeAll(async () => {
    server = stack.h.app.listen(0, '127.0.0.1');
    // The server runs in this process, and generating a property's requests can block the event
    // loop for longer than Node's 5 s keep-alive timeout. The server's idle timer then fires in
    // the tick the next request is written to that socket, and the client reads ECONNRESET
    // (seen: a 10 s pause before the PATCH requests). Idle sockets are left to the client to close.
    server.keepAliveTimeout = 10 * 60_000;
    answerClientErrorsInFamilyShape(server);
    await new Promise((resolve) => server.once('listening', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const doc = await request(stack.h.app).get('/openapi.json');
    operations = operationsOf(doc.body);
    ctx = await fuzzContext();
    demo = { bearer: ctx.bearer.valid[0]!, basic: ctx.basic.valid[0]! };
  });

  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    // The spread of statuses shows the fuzz reaches past validation, not only the 400s.
    for (const [name, tally] of Object.entries(tallies)) {
      const lines = [...tally].map(([op, statuses]) => `${op}: ${[...statuses].map(([s, n]) => `${s}×${n}`).join(' ')}`);
      const total = [...tally.values()].reduce((sum, m) => sum + [...m.values()].reduce((a, b) => a + b, 0), 0);
      process.stdout.write(`fuzz (${kind}, ${name}): ${total} requests\n${lines.join('\n')}\n`);
    }
  });

  async function fuzzContext(): Promise<FuzzContext> {
    const tokens = Object.fromEntries(await Promise.all(CLIENTS.map(async (c) => [c, await stack.h.token(c)] as const)));
    const actingForDemo = await request(stack.h.app).get('/api/1.0/auth').query({ impersonate: 'demo' }).auth('broker', 'broker-secret');
    const { jwtSecret } = testConfig();
    const claims = { tenant: 'demo', roles: ['CO', 'RESELLER', 'ACCOUNT_MANAGER', 'CLIENT', 'BUYER'] };
    return {
      bearer: {
        valid: [tokens.demo!, tokens.demo!, tokens.demo!, tokens.other!, tokens.guest!, tokens.ops!, tokens.broker!, actingForDemo.body.accessToken as string].map(
          (t) => `Bearer ${t}`,
        ),
        invalid: [
          'Bearer',
          'Bearer ',
          'Bearer x.y.z',
          `Bearer ${jwt.sign(claims, jwtSecret, { subject: 'demo', expiresIn: -60 })}`,
          `Bearer ${jwt.sign(claims, 'not-the-secret', { subject: 'demo', expiresIn: 600 })}`,
          `Bearer ${jwt.sign(claims, jwtSecret, { subject: 'demo', expiresIn: 600, algorithm: 'HS512' })}`,
          `Bearer ${b64('{"alg":"none"}')}.${b64(JSON.stringify({ sub: 'demo', ...claims }))}.`,
          `Bearer ${tokens.demo}x`,
          `bearer  ${tokens.demo}`,
          `Basic ${b64('demo:demo-secret')}`,
        ],
      },
      basic: {
        valid: CLIENTS.map((c) => `Basic ${b64(`${c}:${c}-secret`)}`),
        invalid: ['Basic', 'Basic !!!', `Basic ${b64('demo')}`, `Basic ${b64(':')}`, `Basic ${b64('demo:wrong')}`, `Bearer ${tokens.demo}`, `basic ${b64('demo:demo-secret')}`],
      },
      knownIds: [...Object.values(FIBRE_DEMO.points), FIBRE_DEMO.stokabPoint2PointId],
      examples: {
        'POST /2.5/sp_spec/sales_leads/': () => validLead(),
        'POST /esim/v1/order': () => [seedNewEsim, seedTopup, seedBulk][Math.floor(Math.random() * 3)]!(),
        'POST /api/1.0/offerInquiry': () => (Math.random() < 0.5 ? syncInquiry() : asyncInquiry()),
        'POST /api/1.0/orders': () => orderBody(ctx.knownIds[Math.floor(Math.random() * ctx.knownIds.length)]!),
        'POST /orders': () => mefOrder(),
        'POST /api/1.0/priceEstimate': () => ({
          from: { pointId: FIBRE_DEMO.points.from },
          to: { pointId: FIBRE_DEMO.points.to },
          customerType: 'Commercial',
          serviceLevel: 'Premium',
          products: 'All',
        }),
      },
      likelyValues: {
        impersonate: [...CLIENTS, 'nobody', ''],
        limit: ['1', '10', '0', '-5', '100000', 'abc'],
        offset: ['0', '1', '-1', 'x'],
        since: [new Date(Date.now() - 3600_000).toISOString(), '2020-01-01', 'yesterday'],
        orderDateFrom: ['2020-01-01T00:00:00Z', 'x'],
        orderDateTo: ['2099-01-01T00:00:00Z', 'x'],
        orderStatus: ['acknowledged', 'inProgress', 'completed', 'x'],
        street: ['Norrlandsgatan'],
        number: ['12', 'x'],
        city: ['Stockholm'],
        'If-Match': ['"1"', '*', 'W/"2"', 'garbage'],
        'If-Modified-Since': ['Sun, 01 Nov 2026 06:00:00 GMT', 'Thu, 01 Jan 1970 00:00:00 GMT', 'yesterday'],
      },
    };
  }

  /** Ids in a success, so later requests name orders, inquiries and points that exist. */
  function rememberIds(body: unknown) {
    const found = new Set<string>();
    const visit = (v: unknown, depth: number) => {
      if (depth > 4 || !v || typeof v !== 'object') return;
      for (const [k, x] of Object.entries(v)) {
        if (typeof x === 'string' && /^(id|orderId|inquiryId|pointId)$/.test(k) && x.length < 100) found.add(x);
        else visit(x, depth + 1);
      }
    };
    visit(Array.isArray(body) ? body.slice(0, 5) : body, 0);
    for (const id of found) if (!ctx.knownIds.includes(id) && ctx.knownIds.length < 500) ctx.knownIds.push(id);
  }

  function count(tally: Map<string, Map<number, number>>, op: DocumentedOperation, status: number) {
    const key = `${op.method} ${op.path}`;
    const statuses = tally.get(key) ?? new Map<number, number>();
    statuses.set(status, (statuses.get(status) ?? 0) + 1);
    tally.set(key, statuses);
  }

  /**
   * Runs `requests` against each operation, `check` on each answer; every operation's
   * counter-example, not only the first one (fc.check, not fc.assert: one broken
   * operation must not hide the others').
   */
  async function fuzzEach(
    runs: number,
    requests: (op: DocumentedOperation) => fc.Arbitrary<FuzzRequest>,
    check: (op: DocumentedOperation, res: Awaited<ReturnType<typeof send>>) => string | undefined,
    tally: Map<string, Map<number, number>>,
  ): Promise<string[]> {
    const failures: string[] = [];
    for (const op of operations) {
      const details = await fc.check(
        fc.asyncProperty(requests(op), async (req) => {
          const res = await send(baseUrl, req);
          count(tally, op, res.status);
          if (res.status < 300) rememberIds(res.body);
          const violation = check(op, res);
          if (violation) throw new Error(`${op.method} ${op.path}: ${violation}\nrequest: ${describeRequest(req)}\nanswer: ${res.text.slice(0, 500)}`);
        }),
        { numRuns: runs, seed: SEED },
      );
      if (details.failed) {
        const why = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
        failures.push(`${why}\n(seed ${details.seed}, path "${details.counterexamplePath}": FUZZ_SEED=${details.seed} replays it)`);
      }
    }
    return failures;
  }

  it('finds every family in the document', () => {
    const paths = operations.map((o) => o.path);
    expect(paths).toEqual(expect.arrayContaining(['/2.5/sp_spec/sales_leads/', '/esim/v1/order', '/api/1.0/orders', '/orders/{id}', '/api/1.0/auth']));
    expect(operations.length).toBeGreaterThanOrEqual(30);
  });

  it('answers every generated request without a 5xx, in the documented shape', async () => {
    expect(await fuzzEach(RUNS, (op) => requestsFor(op, ctx), violationOf, tallies.mutated)).toEqual([]);
  }, 600_000);

  it('accepts every request the document allows: no 400, no 5xx, no undocumented status', async () => {
    const failures = await fuzzEach(
      VALID_RUNS,
      (op) => documentedRequestsFor(op, demo),
      (op, res) => violationOf(op, res) ?? refusedWithout(op, res),
      tallies.documented,
    );
    expect(failures).toEqual([]);
  }, 600_000);
});
