import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { loadConfig, parsePayloadKeys } from '../../src/config';
import { AesGcmPayloadCodec, ENCRYPTED_ENCODING, KEY_ID_METADATA } from '../../src/temporal/payloadCodec';
import { devKeyFile, ensureDevKey } from '../../src/temporal/payloadKeys';

const key = () => randomBytes(32).toString('base64');
const OLD = key();
const NEW = key();
const lead = { personalIdentityNumber: '198507099805', customerEmail: 'anna.svensson@example.se' };
const text = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes ?? []).toString('utf8');
const codec = (spec: string, current?: string) => new AesGcmPayloadCodec(parsePayloadKeys(spec, current));

describe('the AES-256-GCM payload codec', () => {
  const plain = defaultPayloadConverter.toPayload(lead);

  it('encrypts a payload so neither its data nor its encoding show, and decodes it back exactly', async () => {
    const c = codec(`k1:${OLD}`);
    const [sealed] = await c.encode([plain]);
    expect(text(sealed!.metadata!.encoding)).toBe(ENCRYPTED_ENCODING);
    expect(text(sealed!.metadata![KEY_ID_METADATA])).toBe('k1');
    expect(Object.keys(sealed!.metadata!).sort()).toEqual(['encoding', KEY_ID_METADATA]);
    expect(Buffer.from(sealed!.data!).toString('latin1')).not.toContain('198507099805');
    const [opened] = await c.decode([sealed!]);
    expect(text(opened!.metadata!.encoding)).toBe('json/plain');
    expect(defaultPayloadConverter.fromPayload(opened!)).toEqual(lead);
  });

  it('uses a fresh IV per payload: the same value encrypts differently each time', async () => {
    const c = codec(`k1:${OLD}`);
    const [a, b] = await c.encode([plain, plain]);
    expect(Buffer.from(a!.data!).equals(Buffer.from(b!.data!))).toBe(false);
    expect(Buffer.from(a!.data!).subarray(0, 12).equals(Buffer.from(b!.data!).subarray(0, 12))).toBe(false);
  });

  it('decodes a payload encrypted with the old key after the current key changed, and encrypts new ones with the new key', async () => {
    const [before] = await codec(`old:${OLD}`).encode([plain]);
    const rotated = codec(`old:${OLD},new:${NEW}`, 'new');
    expect(defaultPayloadConverter.fromPayload((await rotated.decode([before!]))[0]!)).toEqual(lead);
    const [after] = await rotated.encode([plain]);
    expect(text(after!.metadata![KEY_ID_METADATA])).toBe('new');
  });

  it('refuses a payload whose key id is not configured, naming the key', async () => {
    const [before] = await codec(`old:${OLD}`).encode([plain]);
    await expect(codec(`new:${NEW}`).decode([before!])).rejects.toThrow(/encrypted with key "old", which is not among PAYLOAD_ENCRYPTION_KEYS \(new\)/);
  });

  it('refuses tampered ciphertext instead of decoding garbage', async () => {
    const c = codec(`k1:${OLD}`);
    const [sealed] = await c.encode([plain]);
    const data = Buffer.from(sealed!.data!);
    data[20] = data[20]! ^ 0x01;
    await expect(c.decode([{ ...sealed!, data }])).rejects.toThrow(/failed authentication/);
  });

  it('refuses a payload relabelled with another known key id (the id is authenticated)', async () => {
    const both = codec(`a:${OLD},b:${OLD}`, 'a');
    const [sealed] = await both.encode([plain]);
    const relabelled: Payload = { ...sealed!, metadata: { ...sealed!.metadata!, [KEY_ID_METADATA]: new TextEncoder().encode('b') } };
    await expect(both.decode([relabelled])).rejects.toThrow(/failed authentication/);
  });

  it('passes payloads that are not encrypted through untouched, so old histories still replay', async () => {
    const [out] = await codec(`k1:${OLD}`).decode([plain]);
    expect(out).toBe(plain);
  });
});

describe('payload key configuration', () => {
  it('takes the only key as current, and needs PAYLOAD_ENCRYPTION_KEY_ID when there are several', () => {
    expect(parsePayloadKeys(`k1:${OLD}`, undefined).currentKeyId).toBe('k1');
    expect(() => parsePayloadKeys(`k1:${OLD},k2:${NEW}`, undefined)).toThrow(/PAYLOAD_ENCRYPTION_KEY_ID must name the current key/);
    expect(() => parsePayloadKeys(`k1:${OLD},k2:${NEW}`, 'k3')).toThrow(/k3 is not among PAYLOAD_ENCRYPTION_KEYS \(k1, k2\)/);
  });

  it('refuses keys that are not 32 bytes, duplicate ids and entries without an id', () => {
    expect(() => parsePayloadKeys(`k1:${randomBytes(16).toString('base64')}`, undefined)).toThrow(/key k1 must be 32 bytes/);
    expect(() => parsePayloadKeys(`k1:${OLD},k1:${NEW}`, 'k1')).toThrow(/k1 appears twice/);
    expect(() => parsePayloadKeys(OLD, undefined)).toThrow(/keyId:base64Key/);
  });

  it('fails fast in production or against a Temporal server of its own without keys, and reads them from the environment', () => {
    const production = { NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32), CLIENTS_FILE: 'clients.json', TEMPORAL_ADDRESS: 'temporal:7233' };
    expect(() => loadConfig(production)).toThrow(/PAYLOAD_ENCRYPTION_KEYS must be set when NODE_ENV=production/);
    expect(() => loadConfig({ TEMPORAL_ADDRESS: 'temporal:7233' })).toThrow(/PAYLOAD_ENCRYPTION_KEYS must be set when TEMPORAL_ADDRESS is/);
    const config = loadConfig({ ...production, PAYLOAD_ENCRYPTION_KEYS: `k1:${OLD},k2:${NEW}`, PAYLOAD_ENCRYPTION_KEY_ID: 'k2' });
    expect(config.payloadKeys?.currentKeyId).toBe('k2');
    expect(config.codec.auth).toBe('ops-token');
  });

  it('lets the dev UI in without credentials only on loopback and never in production', () => {
    expect(loadConfig({}).codec).toEqual({ auth: 'loopback-ui', corsOrigins: ['http://127.0.0.1:8233', 'http://localhost:8233'] });
    expect(loadConfig({ OPS_HOST: '0.0.0.0' }).codec.auth).toBe('ops-token');
    expect(loadConfig({ TEMPORAL_ADDRESS: 'temporal:7233', PAYLOAD_ENCRYPTION_KEYS: `k1:${OLD}` }).codec).toEqual({ auth: 'ops-token', corsOrigins: [] });
    expect(() => loadConfig({ CODEC_AUTH: 'loopback-ui', OPS_HOST: '0.0.0.0' })).toThrow(/needs OPS_HOST on loopback/);
    expect(() =>
      loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32), CLIENTS_FILE: 'c.json', PAYLOAD_ENCRYPTION_KEYS: `k1:${OLD}`, CODEC_AUTH: 'loopback-ui' }),
    ).toThrow(/CODEC_AUTH=loopback-ui is for the embedded dev server/);
  });
});

describe('the embedded default\'s generated key', () => {
  it('is made once under DATA_DIR, readable by its owner only, and the same on every later start', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'payload-key-'));
    try {
      const first = ensureDevKey(dir);
      expect(fs.statSync(devKeyFile(dir)).mode & 0o777).toBe(0o600);
      const again = ensureDevKey(dir);
      expect(again.currentKeyId).toBe(first.currentKeyId);
      expect(again.keys.get(again.currentKeyId)!.equals(first.keys.get(first.currentKeyId)!)).toBe(true);
      expect(fs.readdirSync(dir)).toEqual(['payload-encryption.key']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
