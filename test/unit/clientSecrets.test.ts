import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { hashClientSecret, secretHashProblem, secretMatches } from '../../src/api/shared/clientSecrets';
import { DEMO_CLIENTS_FILE, loadClients } from '../../src/api/shared/auth';

describe('client secrets kept as scrypt hashes', () => {
  it('matches the secret it was made from and nothing else; a new salt each time', async () => {
    const hash = await hashClientSecret('the-client-secret-1');
    expect(hash).toMatch(/^scrypt\$16384\$8\$5\$[A-Za-z0-9+/]+=*\$[A-Za-z0-9+/]+=*$/);
    expect(await hashClientSecret('the-client-secret-1')).not.toBe(hash);
    expect(await secretMatches('the-client-secret-1', { secretHash: hash })).toBe(true);
    expect(await secretMatches('the-client-secret-2', { secretHash: hash })).toBe(false);
    expect(await secretMatches('', { secretHash: hash })).toBe(false);
  });

  it('answers no for an unknown client after the same work, and compares a clear secret (demo clients) as before', async () => {
    expect(await secretMatches('anything', undefined)).toBe(false);
    expect(await secretMatches('demo-secret', { secret: 'demo-secret' })).toBe(true);
    expect(await secretMatches('demo-secret ', { secret: 'demo-secret' })).toBe(false);
  });

  it('names what is wrong with a hash that cannot be checked, so a typo fails the start and not a partner', () => {
    expect(secretHashProblem('demo-secret')).toMatch(/scrypt\$N\$r\$p\$salt\$hash/);
    expect(secretHashProblem('scrypt$1000$8$1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA==')).toMatch(/power of two/);
    expect(secretHashProblem('scrypt$16384$64$1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA==')).toMatch(/r must be 1-32/);
    expect(secretHashProblem('scrypt$16384$8$1$c2FsdA==$aGFzaA==')).toMatch(/at least 16 bytes/);
  });
});

describe('the clients file in production', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clients-prod-'));
  afterAll(() => fs.rmSync(dir, { recursive: true }));
  const write = (name: string, clients: unknown[]) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, JSON.stringify({ clients }));
    return file;
  };
  const client = (extra: Record<string, unknown>) => ({ clientId: 'acme', tenantId: 'acme', roles: ['CLIENT'], ...extra });

  it('refuses the demo clients, where they are and copied elsewhere', () => {
    expect(() => loadClients(DEMO_CLIENTS_FILE, { production: true })).toThrow(/is the demo clients file/);
    const copy = path.join(dir, 'copied.json');
    fs.copyFileSync(DEMO_CLIENTS_FILE, copy);
    expect(() => loadClients(copy, { production: true })).toThrow(/copied\.json is the demo clients file/);
    expect(loadClients(DEMO_CLIENTS_FILE).map((c) => c.clientId)).toContain('demo');
  });

  it('refuses a secret kept in clear, naming the client; loads hashed ones', async () => {
    const clear = write('clear.json', [client({ secret: 'acme-secret-in-clear' })]);
    expect(() => loadClients(clear, { production: true })).toThrow(/keeps the secret of acme in clear.*hash-secret/);
    expect(loadClients(clear)[0]!.clientId).toBe('acme');
    const hashed = write('hashed.json', [client({ secretHash: await hashClientSecret('acme-secret-hashed') })]);
    const [acme] = loadClients(hashed, { production: true });
    expect(await secretMatches('acme-secret-hashed', acme)).toBe(true);
  });

  it('refuses a client with both or neither of secret and secretHash, and a hash it cannot check, naming the field', () => {
    expect(() => loadClients(write('both.json', [client({ secret: 's', secretHash: 'scrypt$x' })]))).toThrow(/exactly one of secretHash and secret/);
    expect(() => loadClients(write('neither.json', [client({})]))).toThrow(/exactly one of secretHash and secret/);
    expect(() => loadClients(write('bad.json', [client({ secretHash: 'md5:abc' })]))).toThrow(/clients\.0\.secretHash: must be scrypt/);
  });
});
