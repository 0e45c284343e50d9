import jwt from 'jsonwebtoken';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Authenticator, loadClients } from '../../src/api/shared/auth';
import { HttpError } from '../../src/api/shared/errors';

const SECRET = 'a-test-secret-of-enough-length';
const auth = new Authenticator([], SECRET, 600);
const unauthorized = expect.objectContaining({ status: 401 }) as HttpError;

describe('Authenticator bearer tokens (HMAC key made once)', () => {
  const scope = { issuer: 'ordering-integration-worker', audience: 'ordering-partner-api' };

  it('accepts a token signed with the same secret as a plain string, as tokens issued before the key object were', () => {
    const token = jwt.sign({ tenant: 't1', roles: ['CO'] }, SECRET, { subject: 'c1', expiresIn: 60, algorithm: 'HS256', ...scope });
    expect(auth.verify(`Bearer ${token}`)).toEqual({ clientId: 'c1', tenantId: 't1', roles: ['CO'] });
  });

  it('issues tokens naming their issuer and audience, and refuses one for another audience or from another issuer, or naming none, with 401', async () => {
    const clients = [{ clientId: 'c1', guid: '47193bdf-0000-4000-8000-000000000009', secret: 'c1-secret', tenantId: 't1', roles: ['CO' as const], mayImpersonate: [] }];
    const issuing = new Authenticator(clients, SECRET, 600);
    const { accessToken } = await issuing.issue(`Basic ${Buffer.from('c1:c1-secret').toString('base64')}`);
    expect(jwt.decode(accessToken)).toMatchObject({ iss: scope.issuer, aud: scope.audience, sub: 'c1' });
    const other = new Authenticator(clients, SECRET, 600, { issuer: scope.issuer, audience: 'another-api' });
    expect(() => other.verify(`Bearer ${accessToken}`)).toThrow(unauthorized);
    for (const claims of [{ issuer: 'someone-else', audience: scope.audience }, { audience: scope.audience }, { issuer: scope.issuer }]) {
      const token = jwt.sign({ tenant: 't1', roles: ['OPS'] }, SECRET, { subject: 'c1', expiresIn: 60, algorithm: 'HS256', ...claims });
      expect(() => auth.verify(`Bearer ${token}`)).toThrow(unauthorized);
    }
  });

  it('refuses an expired token with 401', () => {
    const token = jwt.sign({ tenant: 't1', roles: ['CO'], exp: Math.floor(Date.now() / 1000) - 10 }, SECRET, { subject: 'c1', algorithm: 'HS256', ...scope });
    expect(() => auth.verify(`Bearer ${token}`)).toThrow(unauthorized);
  });

  it('refuses an unsigned (alg none) token and one signed with HS512 with 401', () => {
    const unsigned = jwt.sign({ tenant: 't1', roles: ['OPS'] }, '', { subject: 'c1', algorithm: 'none' });
    const hs512 = jwt.sign({ tenant: 't1', roles: ['OPS'] }, SECRET, { subject: 'c1', algorithm: 'HS512' });
    expect(() => auth.verify(`Bearer ${unsigned}`)).toThrow(unauthorized);
    expect(() => auth.verify(`Bearer ${hs512}`)).toThrow(unauthorized);
  });
});

describe('the clients file', () => {
  it('gives a client without a guid a UUID derived from its clientId, the same on every load; a given guid is kept', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clients-'));
    const file = path.join(dir, 'clients.json');
    const given = '47193bdf-0000-4000-8000-000000000001';
    fs.writeFileSync(
      file,
      JSON.stringify({
        clients: [
          { clientId: 'old', secret: 's', tenantId: 't', roles: ['CLIENT'] },
          { clientId: 'new', guid: given, secret: 's', tenantId: 't', roles: ['CLIENT'] },
        ],
      }),
    );
    const [old, fresh] = loadClients(file);
    expect(old!.guid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(loadClients(file)[0]!.guid).toBe(old!.guid);
    expect(fresh!.guid).toBe(given);
    fs.rmSync(dir, { recursive: true });
  });
});
