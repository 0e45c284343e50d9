import request from 'supertest';
import { MefBuyerEndpointSchema } from '../../src/db/entities';
import { DATABASE_KINDS } from '../support/databases';
import { answerJson, startStubServer } from '../support/stubServer';
import { eventually } from '../support/eventually';
import { Harness, ONLY_OPS_DECIDE, useStack } from '../support/harness';
import { asyncInquiry, FIBRE_BASE, orderBody, syncInquiry } from '../support/fibreInquiryBodies';
import { validLead } from '../support/leads';
import { mefOrder } from '../support/mefOrders';
import { future, seedNewEsim } from '../support/esimOrders';
import { CliRun, runOpsCli } from '../support/opsCli';
import { webhookProblem } from '../../src/external/shared/webhookSignature';

describe.each(DATABASE_KINDS)('the ops CLI as a child process against a dev server, worker and %s', (kind) => {
  const stack = useStack(kind, { configEnv: ONLY_OPS_DECIDE });
  let h: Harness;
  let demo: string;

  beforeAll(async () => {
    ({ h } = stack);
    demo = await h.token('demo');
  });

  const ops = (...args: string[]): Promise<CliRun> => runOpsCli(stack, ...args);

  const auth = (r: request.Test) => r.set('Authorization', `Bearer ${demo}`);
  const inquire = async (body: Record<string, unknown>) => {
    const res = await auth(request(h.app).post(`${FIBRE_BASE}/offerInquiry`)).send(body);
    expect(res.status).toBe(201);
    return res.body as { inquiryId: string; status: { state: string } };
  };
  const getInquiry = (id: string) => auth(request(h.app).get(`${FIBRE_BASE}/inquiries/${id}`));
  const getOrder = (id: string) => auth(request(h.app).get(`${FIBRE_BASE}/orders/${id}`));
  const feed = async (which: 'inquiries' | 'orders') => (await auth(request(h.app).get(`${FIBRE_BASE}/${which}`))).body as Record<string, unknown>[];
  const inquiryState = (id: string, state: string) =>
    eventually(async () => {
      const res = await getInquiry(id);
      expect(res.body.status?.state).toBe(state);
      return res.body;
    }, 30_000);

  it('lists an async inquiry as waiting, answers it with an offer, and the answer reaches GET and the feed', async () => {
    const inquiry = await inquire(asyncInquiry());
    expect(inquiry.status.state).toBe('WAIT_ASYNC_ANSWER');

    const waiting = await eventually(async () => {
      const run = await ops('inquiries-waiting', 'demo');
      expect(run.code).toBe(0);
      expect(run.stdout).toContain(inquiry.inquiryId);
      return run;
    }, 30_000);
    const line = waiting.stdout.split('\n').find((l) => l.startsWith(inquiry.inquiryId))!;
    expect(line).toMatch(/tenant=demo {2}number=SP-\d{6} {2}since=\S+ {2}workflow=offer-inquiry-/);
    expect(line).toContain(`workflow=offer-inquiry-${inquiry.inquiryId}`);
    expect((await ops('inquiries-waiting', 'other')).stdout).not.toContain(inquiry.inquiryId);

    const validUntil = new Date(Date.now() + 30 * 24 * 3600 * 1000).toISOString().slice(0, 10);
    const answered = await ops('answer', inquiry.inquiryId, '--success', '--one-time-fee', '20000', '--monthly-fee', '1500',
      '--valid-until', validUntil, '--delivery-days', '45', '--connection-id', 'STHLM-0042', '--message', 'Riser checked.');
    // The CLI sends the action as an update and prints the workflow's answer: the state it left and the one it reached.
    expect(answered).toMatchObject({ code: 0, stdout: `answered ${inquiry.inquiryId} (success): WAIT_ASYNC_ANSWER → DONE_ASYNC_ANSWER_SUCCESS\n` });

    const done = await inquiryState(inquiry.inquiryId, 'DONE_ASYNC_ANSWER_SUCCESS');
    expect(done).toMatchObject({
      status: { message: 'Riser checked.', doneDateTime: expect.any(String) },
      product: { price: { status: 'OFFER', oneTimeFee: 20000, monthlyFee: 1500 } },
      offerValidUntilDate: validUntil,
      deliveryDurationDays: 45,
      connectionId: 'STHLM-0042',
    });
    const item = (await feed('inquiries')).find((i) => i.inquiryId === inquiry.inquiryId);
    expect(item?.status).toEqual(done.status);

    expect((await ops('inquiries-waiting')).stdout).not.toContain(inquiry.inquiryId);
    const again = await ops('answer', inquiry.inquiryId, '--fail', '--message', 'too late');
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`skipped ${inquiry.inquiryId}: the inquiry is DONE_ASYNC_ANSWER_SUCCESS and already answered: only an inquiry waiting for an async answer can be answered`);
    expect((await getInquiry(inquiry.inquiryId)).body.status).toEqual(done.status);
  });

  it('declines several waiting inquiries in one call; an unknown id among them is skipped and the exit code says so', async () => {
    const a = await inquire(asyncInquiry());
    const b = await inquire(asyncInquiry());
    await eventually(async () => {
      const { stdout } = await ops('inquiries-waiting');
      expect(stdout).toContain(a.inquiryId);
      expect(stdout).toContain(b.inquiryId);
    }, 30_000);
    const run = await ops('answer', a.inquiryId, 'no-such-inquiry', b.inquiryId, '--fail', '--message', 'No duct space in the street.');
    expect(run.code).toBe(1);
    expect(run.stdout).toBe(`answered ${a.inquiryId} (fail): WAIT_ASYNC_ANSWER → DONE_ASYNC_ANSWER_FAILED\nanswered ${b.inquiryId} (fail): WAIT_ASYNC_ANSWER → DONE_ASYNC_ANSWER_FAILED\n`);
    expect(run.stderr).toContain('skipped no-such-inquiry: no such inquiry');
    for (const id of [a.inquiryId, b.inquiryId]) {
      const done = await inquiryState(id, 'DONE_ASYNC_ANSWER_FAILED');
      expect(done.status.message).toBe('No duct space in the street.');
    }
  });

  it('lists a fibre order waiting for delivery and delivers it; GET and the orders feed show DELIVERED', async () => {
    const inquiry = await inquire(syncInquiry());
    const placed = await auth(request(h.app).post(`${FIBRE_BASE}/orders`)).send(orderBody(inquiry.inquiryId));
    expect(placed.status).toBe(201);
    const { orderId } = placed.body as { orderId: string };

    const waiting = await eventually(async () => {
      const run = await ops('orders-waiting', 'demo');
      expect(run.stdout).toContain(orderId);
      return run;
    }, 30_000);
    expect(waiting.stdout).toContain(`${orderId}  tenant=demo  inquiry=${inquiry.inquiryId}  since=`);
    expect(waiting.stdout).toContain(`workflow=fiber-order-${orderId}`);

    const delivered = await ops('deliver', orderId, '--connection-id', 'STHLM-P2P-0001');
    expect(delivered).toMatchObject({ code: 0, stdout: `delivered ${orderId}: WAIT_DELIVERY → DELIVERED\n` });
    const done = await eventually(async () => {
      const res = await getOrder(orderId);
      expect(res.body.status.state).toBe('DELIVERED');
      return res.body;
    }, 30_000);
    expect(done.connectionId).toBe('STHLM-P2P-0001');
    const item = (await feed('orders')).find((i) => i.orderId === orderId);
    expect(item).toMatchObject({ orderId, state: 'DELIVERED', doneDateTime: done.status.doneDateTime });
    expect((await ops('orders-waiting')).stdout).not.toContain(orderId);
  });

  it('holds a MEF order and releases it again, each seen through GET and in mef-orders --status', async () => {
    const created = await request(h.app).post('/orders').set('Authorization', `Bearer ${demo}`).send(mefOrder());
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const mefStatus = (accept: (s: string) => void) =>
      eventually(async () => {
        const res = await request(h.app).get(`/orders/${id}`).set('Authorization', `Bearer ${demo}`);
        accept(res.body.orderStatus);
        return res.body.orderStatus as string;
      }, 30_000);
    const before = await mefStatus((s) => expect(['ACKNOWLEDGED', 'IN_PROGRESS']).toContain(s));

    expect(await ops('hold', id, '--reason', 'credit check')).toMatchObject({ code: 0, stdout: `held ${id}: HELD, The order is held: credit check\n` });
    await mefStatus((s) => expect(s).toBe('HELD'));
    const held = await ops('mef-orders', '--status', 'HELD', 'demo');
    expect(held.stdout).toMatch(new RegExp(`^${id} {2}tenant=demo {2}status=HELD {2}po=PO-`, 'm'));
    expect(held.stdout).toContain(`workflow=mef-order-${id}`);

    const released = await ops('release', id);
    expect(released.code).toBe(0);
    expect(released.stdout).toMatch(new RegExp(`^released ${id}: (ACKNOWLEDGED|IN_PROGRESS), The order is released and fulfilment resumes.\n$`));
    const after = await mefStatus((s) => expect(['ACKNOWLEDGED', 'IN_PROGRESS']).toContain(s));
    // With hour-long steps nothing moves on its own: release returns the order where it was held.
    expect(after).toBe(before);
    expect((await ops('mef-orders', '--status', 'HELD')).stdout).not.toContain(id);

    const refused = await ops('release', id);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`skipped ${id}: Order ${id} is ${after}: release is only possible while the order is HELD.`);
  });

  it('sets a buyer\'s MEF notification URL with a signing secret, and the next order\'s notifications arrive there signed', async () => {
    const stub = await startStubServer(answerJson(204), (req, body, raw) => ({ method: req.method ?? '', body, raw, headers: req.headers as Record<string, string> }));
    try {
      const url = `${stub.url}/mef-inbox`;
      expect((await ops('mef-notification-url', 'other')).stdout).toContain('other  notificationUrl=(none');
      const set = await ops('mef-notification-url', 'other', url);
      expect(set).toMatchObject({ code: 0, stdout: expect.stringMatching(new RegExp(`^other  notificationUrl=${url}  signed\nsigning secret .*: whsec_[A-Za-z0-9+/]{43}=\n$`)) });
      const secret = /whsec_\S+/.exec(set.stdout)![0];
      const endpoint = await stack.db.orm.em.fork().findOneOrFail(MefBuyerEndpointSchema, { tenantId: 'other' });
      expect([endpoint.notificationUrl, endpoint.signingSecret]).toEqual([url, secret]);

      const other = await h.token('other');
      const created = await request(h.app).post('/orders').set('Authorization', `Bearer ${other}`).send(mefOrder());
      expect(created.status).toBe(201);
      await eventually(async () => expect(stub.seen.length).toBeGreaterThan(0), 30_000);
      const delivered = stub.seen[0]!;
      expect(delivered.method).toBe('POST');
      expect(delivered.raw).toContain(created.body.id as string);
      // The receiver's check of the Standard Webhooks signature, over the bytes it got.
      expect(delivered.headers['webhook-id']).toBe((delivered.body as { id: string }).id);
      expect(webhookProblem(secret, delivered.headers, delivered.raw)).toBeUndefined();
      expect(webhookProblem(secret, delivered.headers, delivered.raw.replace('"', ' "'))).toBe('no webhook-signature matches');

      // Setting another URL keeps the secret; rotating makes a new one, shown once.
      expect((await ops('mef-notification-url', 'other', `${url}/v2`)).stdout).toBe(`other  notificationUrl=${url}/v2  signed\n`);
      const rotated = await ops('mef-notification-url', 'other', '--rotate-secret');
      expect(/whsec_\S+/.exec(rotated.stdout)?.[0]).toMatch(/^whsec_/);
      expect(/whsec_\S+/.exec(rotated.stdout)?.[0]).not.toBe(secret);

      expect((await ops('mef-notification-url', 'other', '--clear')).stdout).toContain('(none');
      expect((await ops('mef-notification-url', 'other', 'ftp://x')).stderr).toContain('not an http(s) URL: ftp://x');
    } finally {
      await stub.close();
    }
  });

  it('keeps the sales-lead commands: lists leads in review, approves one and rejects another with the operator\'s message', async () => {
    const leadsPath = '/2.5/sp_spec/sales_leads/';
    const postLead = async () => {
      const res = await request(h.app).post(leadsPath).set('Authorization', `Bearer ${demo}`).send(validLead({}, { identifiedCustomer: false, personalIdentityNumber: undefined }));
      expect(res.body.status).toBe('RECEIVED');
      return res.body.orderId as string;
    };
    const leadStatus = (orderId: string, status: string) =>
      eventually(async () => {
        const res = await request(h.app).get(`${leadsPath}${orderId}`).set('Authorization', `Bearer ${demo}`);
        expect(res.body.status).toBe(status);
        return res.body as { message: string };
      }, 30_000);
    const approved = await postLead();
    const rejected = await postLead();
    const listed = await eventually(async () => {
      const run = await ops('leads-in-review', 'demo');
      expect(run.stdout).toContain(approved);
      expect(run.stdout).toContain(rejected);
      return run;
    }, 30_000);
    expect(listed.stdout).toMatch(new RegExp(`^${approved} {2}tenant=demo {2}since=\\S+ {2}workflow=sales-lead-${approved}$`, 'm'));

    expect(await ops('approve', approved)).toMatchObject({ code: 0, stdout: `approved ${approved}: IN_REVIEW → SCHEDULED\n` });
    expect(await ops('reject', rejected, '--message', 'Customer could not be verified.')).toMatchObject({ code: 0, stdout: `rejected ${rejected}: IN_REVIEW → REJECTED\n` });
    await leadStatus(approved, 'ACTIVATED');
    expect((await leadStatus(rejected, 'REJECT')).message).toBe('Customer could not be verified.');

    // The audit trail: who, when, why, before and after, from the database; then the sender as Temporal recorded it.
    // The entry is written beside the answer, so it may land a moment after the CLI printed.
    const history = await eventually(async () => {
      const run = await ops('history', rejected);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(
        new RegExp(`^\\S+Z {2}sales-lead-${rejected} {2}reject \\(update\\) {2}by=alice@ops {2}IN_REVIEW → REJECTED {2}why="Customer could not be verified."$`, 'm'),
      );
      return run;
    }, 30_000);
    expect(history.stdout).toMatch(/^ {2}\S+Z {2}update rejectLead {2}identity=\S+/m);
    // How it began, from its public id's record (an impersonated one names its sender: impersonationRecorded.test.ts).
    expect(history.stdout.split('\n')[0]).toMatch(new RegExp(`^\\S+Z {2}sales-lead-${rejected} {2}created, sent by tenant demo$`));
    expect((await ops('history', 'no-such-order')).stdout).toContain('no ops actions recorded for no-such-order');
  });

  it('lists an eSIM order waiting for its activationDate and cancels it; GET shows it COMPLETED, its subscription CANCELLED with the operator\'s reason', async () => {
    const created = await request(h.app).post('/esim/v1/order').set('Authorization', `Bearer ${demo}`).send(seedNewEsim(future(10)));
    expect(created.status).toBe(201);
    const id = created.body.externalId as string;
    await eventually(async () => {
      const run = await ops('esim-orders', '--stage', 'SCHEDULED', 'demo');
      expect(run.stdout).toMatch(new RegExp(`^${id} {2}tenant=demo {2}NEW_ESIM {2}stage=SCHEDULED {2}since=\\S+ {2}workflow=esim-order-${id}$`, 'm'));
    }, 30_000);
    expect(await ops('esim-cancel', id, '--reason', 'trip called off')).toMatchObject({ code: 0, stdout: `cancelled ${id}: SCHEDULED → COMPLETED\n` });
    await eventually(async () => {
      const res = await request(h.app).get(`/esim/v1/order/${id}`).set('Authorization', `Bearer ${demo}`);
      expect(res.body).toMatchObject({ status: 'COMPLETED', output: { subscriptions: [{ state: 'CANCELLED', reason: 'Cancelled by an operator: trip called off.' }] } });
    }, 30_000);
    const again = await ops('esim-retry', id);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`skipped ${id}: `);
  });

  it('answers a wrong command line with the usage and exit code 2', async () => {
    const none = await ops();
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('usage: npm run ops -- <command>');
    for (const name of ['leads-in-review', 'inquiries-waiting', 'answer', 'orders-waiting', 'deliver', 'reject-order', 'mef-orders', 'mef-notification-url', 'hold', 'release', 'cancel', 'history', 'esim-orders', 'esim-cancel', 'esim-retry', 'esim-skip']) {
      expect(none.stderr).toContain(`  ${name} `);
    }
    const unknownOption = await ops('deliver', 'x', '--conection-id', 'y');
    expect(unknownOption.code).toBe(2);
    expect(unknownOption.stderr).toContain('deliver: unknown option --conection-id');
    expect((await ops('no-such-command')).code).toBe(2);
  });

  it('refuses bad arguments with a message naming what is wrong, before anything is signalled', async () => {
    const inquiry = await inquire(asyncInquiry());
    const cases: [string[], string][] = [
      [['reject-order', 'some-order'], 'reject-order needs --message'],
      [['reject', 'some-lead'], 'reject needs --message'],
      [['answer', inquiry.inquiryId], 'answer needs exactly one of --success and --fail'],
      [['answer', inquiry.inquiryId, '--fail'], 'answer --fail needs --message'],
      [['answer', inquiry.inquiryId, '--success', '--monthly-fee', '-5'], '--monthly-fee must be a number >= 0, not "-5"'],
      [['answer', inquiry.inquiryId, '--success', '--valid-until', '2026-02-30'], '--valid-until must be a date YYYY-MM-DD'],
      [['mef-orders', '--status', 'DONE'], '--status must be one of ACKNOWLEDGED'],
      [['hold'], 'no order ids given'],
      [['esim-skip', 'some-order'], 'esim-skip needs --reason'],
    ];
    for (const [args, message] of cases) {
      const run = await ops(...args);
      expect({ args, code: run.code, stderr: run.stderr }).toEqual({ args, code: 1, stderr: expect.stringContaining(message) });
    }
    expect((await getInquiry(inquiry.inquiryId)).body.status.state).toBe('WAIT_ASYNC_ANSWER');
  });
});
