import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEMO_CLIENTS_FILE } from '../../src/api/shared/auth';
import { hashClientSecret } from '../../src/api/shared/clientSecrets';
import { freePort } from '../support/freePort';
import { TEST_PAYLOAD_KEYS } from '../support/payloadKeys';

const ROOT = path.resolve(__dirname, '../..');
const STRONG_SECRET = 'q8Jx2mZr5Tn0Vb7Lc4Wd1Ys6Ke3Hg9Pa'; // 32 bytes, no example word

/**
 * The API process as the image starts it (NODE_ENV=production) with one insecure setting
 * at a time: it must exit before it listens, saying what is wrong. Nothing behind it runs
 * (TEMPORAL_ADDRESS and DATABASE_URL point at closed ports), so a start that got past the
 * checks fails later, on a connection, with another message.
 */
async function startInProduction(env: Record<string, string | undefined>): Promise<{ code: number | null; output: string }> {
  const closed = await freePort();
  const child = spawn('node', ['--import', 'tsx', 'src/api/server.ts'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      ...TEST_PAYLOAD_KEYS,
      TEMPORAL_ADDRESS: `127.0.0.1:${closed}`,
      DATABASE_URL: `postgres://nobody@127.0.0.1:${closed}/none`,
      PORT: '0',
      OPS_PORT: '0',
      ...env,
    } as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
  clearTimeout(timer);
  return { code, output };
}

describe('the API with NODE_ENV=production refuses to start insecure', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'secure-start-'));
  const hashedClients = path.join(dir, 'clients.json');
  const clearClients = path.join(dir, 'clear.json');
  const copiedDemo = path.join(dir, 'copied-demo.json');
  beforeAll(async () => {
    const client = { clientId: 'acme', tenantId: 'acme', roles: ['CLIENT'] };
    fs.writeFileSync(hashedClients, JSON.stringify({ clients: [{ ...client, secretHash: await hashClientSecret('acme-secret-of-length') }] }));
    fs.writeFileSync(clearClients, JSON.stringify({ clients: [{ ...client, secret: 'acme-secret-of-length' }] }));
    fs.copyFileSync(DEMO_CLIENTS_FILE, copiedDemo);
  });
  afterAll(() => fs.rmSync(dir, { recursive: true }));

  it('each insecure setting fails the start with a message naming it; a secure one gets past the checks', async () => {
    const secure = { JWT_SECRET: STRONG_SECRET, CLIENTS_FILE: hashedClients };
    const cases: [string, Record<string, string | undefined>, RegExp][] = [
      ['no JWT secret', { ...secure, JWT_SECRET: undefined }, /JWT_SECRET must be set when NODE_ENV=production/],
      ["the compose file's old placeholder", { ...secure, JWT_SECRET: 'change-me-demo-jwt-secret-not-for-production' }, /JWT_SECRET is a placeholder from an example/],
      ['a secret of 24 bytes', { ...secure, JWT_SECRET: 'q8Jx2mZr5Tn0Vb7Lc4Wd1Ys6' }, /JWT_SECRET is 24 bytes: with NODE_ENV=production it must be at least 32/],
      ['no clients file', { ...secure, CLIENTS_FILE: undefined }, /CLIENTS_FILE must be set when NODE_ENV=production/],
      ['the demo clients file', { ...secure, CLIENTS_FILE: DEMO_CLIENTS_FILE }, /demo-clients\.json is the demo clients file/],
      ['a copy of the demo clients file', { ...secure, CLIENTS_FILE: copiedDemo }, /copied-demo\.json is the demo clients file/],
      ['a secret kept in clear', { ...secure, CLIENTS_FILE: clearClients }, /keeps the secret of acme in clear/],
    ];
    const results = await Promise.all(cases.map(([, env]) => startInProduction(env)));
    cases.forEach(([what, , message], i) => {
      const { code, output } = results[i]!;
      expect({ what, code, refused: message.test(output) }).toEqual({ what, code: 1, refused: true });
    });
    // Past every check, it stops only at the first connection (the database behind a closed port).
    const { code, output } = await startInProduction(secure);
    expect(code).toBe(1);
    expect(output).not.toMatch(/JWT_SECRET|CLIENTS_FILE/);
    expect(output).toMatch(/ECONNREFUSED|connect/i);
  }, 120_000);
});
