import jwt from 'jsonwebtoken';
import { Authenticator, ClientRecord } from '../../src/api/shared/auth';
import { HttpError } from '../../src/api/shared/errors';

const SECRET = 'a-test-secret-of-enough-length';
const clients: ClientRecord[] = [
  { clientId: 'agent', guid: '3f2a1b0c-9d8e-4f7a-8b6c-5d4e3f2a1b0c', secret: 'agent-pw', tenantId: 't-agent', roles: ['CLIENT', 'CO', 'OPS'], mayImpersonate: ['shop'] },
  { clientId: 'shop', guid: '7e6d5c4b-3a29-4180-9f7e-6d5c4b3a2918', secret: 'shop-pw', tenantId: 't-shop', roles: ['CLIENT', 'CO', 'BUYER'], mayImpersonate: [] },
];
const basic = (id: string, pw: string) => `Basic ${Buffer.from(`${id}:${pw}`).toString('base64')}`;

describe('Authenticator impersonation', () => {
  const auth = new Authenticator(clients, SECRET, 600);

  it('verifies an impersonating token into the impersonated tenant, keeping the real caller aside', async () => {
    const { accessToken, impersonating } = await auth.issue(basic('agent', 'agent-pw'), 'shop');
    expect(impersonating).toBe('7e6d5c4b-3a29-4180-9f7e-6d5c4b3a2918');
    expect((await auth.issue(basic('agent', 'agent-pw'), '7E6D5C4B-3A29-4180-9F7E-6D5C4B3A2918')).impersonating).toBe('7e6d5c4b-3a29-4180-9f7e-6d5c4b3a2918');
    expect(auth.verify(`Bearer ${accessToken}`)).toEqual({ clientId: 'shop', tenantId: 't-shop', roles: ['CLIENT', 'CO'], impersonatedBy: 'agent' });
  });

  it('leaves an ordinary token without impersonatedBy', async () => {
    const { accessToken } = await auth.issue(basic('shop', 'shop-pw'));
    expect(auth.verify(`Bearer ${accessToken}`)).toEqual({ clientId: 'shop', tenantId: 't-shop', roles: ['CLIENT', 'CO', 'BUYER'] });
  });

  it('refuses impersonation the caller is not allowed with 403, and a forged act claim with 401', async () => {
    await expect(auth.issue(basic('shop', 'shop-pw'), 'agent')).rejects.toEqual(expect.objectContaining({ status: 403 }));
    const forged = jwt.sign({ tenant: 't-shop', roles: ['CLIENT'], act: { sub: 'agent' } }, 'another-secret-entirely', { subject: 'shop' });
    expect(() => auth.verify(`Bearer ${forged}`)).toThrow(expect.objectContaining({ status: 401 }) as HttpError);
  });
});
