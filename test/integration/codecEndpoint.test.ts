import { randomBytes } from 'node:crypto';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { Authenticator, loadClients } from '../../src/api/shared/auth';
import { parsePayloadKeys } from '../../src/config';
import { payloadCodecFor } from '../../src/temporal/dataConverter';
import { AesGcmPayloadCodec, ENCRYPTED_ENCODING } from '../../src/temporal/payloadCodec';
import { testConfig } from '../support/harness';
import { OpsListener, startOpsListener } from '../support/opsListener';

/**
 * The codec endpoint on a real listener, called as the Temporal Web UI calls it: the
 * payload JSON of Temporal's codec server protocol, X-Namespace, CORS from the UI's origin.
 */
const UI_ORIGIN = 'http://127.0.0.1:8233';
const config = testConfig({ CODEC_CORS_ORIGINS: `${UI_ORIGIN},http://localhost:8233` });
const codec = payloadCodecFor(config);
const person = { customerFirstname: 'Ingegerd', customerEmail: 'ingegerd@example.se' };

type JsonPayload = { metadata: Record<string, string>; data: string };
const toJson = (p: Payload): JsonPayload => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
  data: Buffer.from(p.data ?? []).toString('base64'),
});
const fromJson = (p: JsonPayload): Payload => ({
  metadata: Object.fromEntries(Object.entries(p.metadata).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
  data: Buffer.from(p.data, 'base64'),
});
const basic = (clientId: string, secret = `${clientId}-secret`) => `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`;

describe('the codec endpoint on the ops listener', () => {
  let listener: OpsListener;
  let opsToken: string;
  let demoToken: string;

  const call = (path: string, init: { method?: string; headers?: Record<string, string>; body?: unknown } = {}) =>
    fetch(`${listener.codecEndpoint}${path}`, {
      method: init.method ?? 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Namespace': 'default', ...init.headers },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
  const encrypted = async (value: unknown) => toJson((await codec.encode([defaultPayloadConverter.toPayload(value)]))[0]!);

  beforeAll(async () => {
    listener = await startOpsListener(config, { auth: 'ops-token' });
    const token = async (clientId: string) => {
      const res = await fetch(`${listener.codecEndpoint}/login`, { headers: { Authorization: basic(clientId) } });
      return /ordering_codec_session=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')?.[1] ?? '';
    };
    opsToken = await token('ops');
    expect(opsToken).not.toBe('');
    demoToken = (await new Authenticator(loadClients(config.clientsFile), config.jwtSecret, 3600).issue(basic('demo'))).accessToken;
  });
  afterAll(async () => {
    await listener?.close();
  });

  it('refuses to decode without a token (401) and for a client without the OPS role (403)', async () => {
    const body = { payloads: [await encrypted(person)] };
    const anonymous = await call('/decode', { body });
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toEqual({ message: expect.stringMatching(/bearer token is required/) });
    expect((await call('/decode', { body, headers: { Authorization: `Bearer ${demoToken}` } })).status).toBe(403);
    expect((await call('/decode', { body, headers: { Authorization: 'Bearer not-a-token' } })).status).toBe(401);
  });

  it('decodes what the worker encrypted into the clear payload for an operator', async () => {
    const res = await call('/decode', { body: { payloads: [await encrypted(person), await encrypted(['x', 1])] }, headers: { Authorization: `Bearer ${opsToken}` } });
    expect(res.status).toBe(200);
    const { payloads } = (await res.json()) as { payloads: JsonPayload[] };
    expect(payloads.map((p) => Buffer.from(p.metadata.encoding!, 'base64').toString())).toEqual(['json/plain', 'json/plain']);
    expect(payloads.map((p) => defaultPayloadConverter.fromPayload(fromJson(p)))).toEqual([person, ['x', 1]]);
  });

  it('takes an empty body as no payloads, as protojson writes an empty list (the CLI\'s query without arguments)', async () => {
    const res = await call('/encode', { body: {}, headers: { Authorization: `Bearer ${opsToken}` } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ payloads: [] });
  });

  it('encodes what the UI sends (a signal\'s input) so that workers can decode it', async () => {
    const plain = toJson(defaultPayloadConverter.toPayload({ message: 'checked by phone' }));
    const res = await call('/encode', { body: { payloads: [plain] }, headers: { Authorization: `Bearer ${opsToken}` } });
    expect(res.status).toBe(200);
    const [sealed] = ((await res.json()) as { payloads: JsonPayload[] }).payloads;
    expect(Buffer.from(sealed!.metadata.encoding!, 'base64').toString()).toBe(ENCRYPTED_ENCODING);
    expect(defaultPayloadConverter.fromPayload((await codec.decode([fromJson(sealed!)]))[0]!)).toEqual({ message: 'checked by phone' });
  });

  it('answers the UI origin\'s CORS preflight with the headers the UI sends, and refuses any other origin', async () => {
    const preflight = (origin: string) =>
      call('/decode', { method: 'OPTIONS', headers: { Origin: origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type,x-namespace,authorization' } });
    const ok = await preflight(UI_ORIGIN);
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe(UI_ORIGIN);
    expect(ok.headers.get('access-control-allow-credentials')).toBe('true');
    expect(ok.headers.get('access-control-allow-methods')).toContain('POST');
    expect(ok.headers.get('access-control-allow-headers')?.split(/,\s*/).map((h) => h.toLowerCase()).sort()).toEqual(['authorization', 'content-type', 'x-namespace']);
    expect(ok.headers.get('vary')).toContain('Origin');
    const fromCloud = await call('/decode', { method: 'OPTIONS', headers: { Origin: UI_ORIGIN, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Private-Network': 'true' } });
    expect(fromCloud.headers.get('access-control-allow-private-network')).toBe('true');

    const elsewhere = await preflight('https://evil.example');
    expect(elsewhere.status).toBe(403);
    expect(elsewhere.headers.get('access-control-allow-origin')).toBeNull();
    // Refused by the server too, not only by a browser honouring CORS.
    const forged = await call('/decode', { body: { payloads: [await encrypted(person)] }, headers: { Origin: 'https://evil.example', Authorization: `Bearer ${opsToken}` } });
    expect(forged.status).toBe(403);
  });

  it('signs an operator in with a session cookie, which a UI including cross-origin credentials then sends', async () => {
    const login = await fetch(`${listener.codecEndpoint}/login`, { headers: { Authorization: basic('ops') } });
    expect(login.status).toBe(200);
    expect(await login.json()).toEqual({ signedIn: 'ops', expiresIn: 3600 });
    const cookie = login.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Path=\/codec/);
    const session = cookie.split(';')[0]!;
    const res = await call('/decode', { body: { payloads: [await encrypted(person)] }, headers: { Origin: UI_ORIGIN, Cookie: session } });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(UI_ORIGIN);

    const wrong = await fetch(`${listener.codecEndpoint}/login`, { headers: { Authorization: basic('ops', 'wrong') } });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toMatch(/^Basic/);
    expect((await fetch(`${listener.codecEndpoint}/login`, { headers: { Authorization: basic('demo') } })).status).toBe(403);
  });

  it('names the missing key when a payload cannot be decrypted (422), and refuses a malformed body (400)', async () => {
    const foreign = new AesGcmPayloadCodec(parsePayloadKeys(`retired-2019:${randomBytes(32).toString('base64')}`, undefined));
    const [sealed] = await foreign.encode([defaultPayloadConverter.toPayload(person)]);
    const res = await call('/decode', { body: { payloads: [toJson(sealed!)] }, headers: { Authorization: `Bearer ${opsToken}` } });
    expect(res.status).toBe(422);
    expect(((await res.json()) as { message: string }).message).toMatch(/encrypted with key "retired-2019"/);
    const malformed = await call('/decode', { body: { payloads: [{ data: 'not base64!' }] }, headers: { Authorization: `Bearer ${opsToken}` } });
    expect(malformed.status).toBe(400);
  });

  describe('with CODEC_AUTH=loopback-ui (the embedded dev server, whose UI sends no credentials)', () => {
    let devListener: OpsListener;
    beforeAll(async () => {
      devListener = await startOpsListener(config, { auth: 'loopback-ui' });
    });
    afterAll(async () => {
      await devListener?.close();
    });

    it('decodes for the UI origin from this machine without a token, and still wants one from anything else', async () => {
      const body = JSON.stringify({ payloads: [await encrypted(person)] });
      const post = (headers: Record<string, string>) => fetch(`${devListener.codecEndpoint}/decode`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Namespace': 'default', ...headers }, body });
      const fromUi = await post({ Origin: UI_ORIGIN });
      expect(fromUi.status).toBe(200);
      expect(defaultPayloadConverter.fromPayload(fromJson(((await fromUi.json()) as { payloads: JsonPayload[] }).payloads[0]!))).toEqual(person);
      expect((await post({})).status).toBe(401);
      expect((await post({ Origin: 'http://127.0.0.1:9999' })).status).toBe(403);
    });
  });
});
