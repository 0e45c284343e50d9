import { createHash, createSecretKey, KeyObject, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import type { RequestHandler } from 'express';
import jwt from 'jsonwebtoken';
import { z } from 'zod';
import { HttpError } from './errors';
import { deriveId } from './idempotency';

export const ROLES = ['CO', 'RESELLER', 'ACCOUNT_MANAGER', 'CLIENT', 'BUYER', 'OPS'] as const;
export type Role = (typeof ROLES)[number];

const ClientsFile = z.object({
  clients: z.array(
    z.object({
      /** The login (HTTP Basic user name). */
      clientId: z.string().min(1),
      /**
       * The client's GUID: what a token acting for it names in `impersonating` (seed 002 §0).
       * Optional, so a clients file written before it still loads: without one it is a
       * UUID derived from the clientId, the same on every start.
       */
      guid: z.guid().optional(),
      secret: z.string().min(1),
      tenantId: z.string().min(1),
      roles: z.array(z.enum(ROLES)),
      /** Clients this one may act for (price API impersonation), by clientId. */
      mayImpersonate: z.array(z.string()).default([]),
    }),
  ),
});
export type ClientRecord = z.infer<typeof ClientsFile>['clients'][number] & { guid: string };

export function loadClients(file: string): ClientRecord[] {
  const parsed = ClientsFile.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
  if (!parsed.success) throw new Error(`Invalid clients file ${file}: ${parsed.error.message}`);
  return parsed.data.clients.map((c) => ({ ...c, guid: c.guid ?? deriveId('clients', 'client-guid', c.clientId) }));
}

/**
 * Who is calling, as the token says. Every read and write is scoped to `tenantId`.
 * When the token impersonates (price API, seed 002 §0), `clientId`/`tenantId` are
 * the impersonated client's, so every existing tenant filter scopes to it without
 * knowing about impersonation, and `impersonatedBy` names the real caller.
 */
export interface Principal {
  clientId: string;
  tenantId: string;
  roles: Role[];
  /** The client that really called, when it acts for `clientId`; absent otherwise. */
  impersonatedBy?: string;
}

const digest = (s: string) => createHash('sha256').update(s).digest();

export class Authenticator {
  /**
   * The HMAC key as a KeyObject, made once: given a string, jsonwebtoken first tries
   * to parse it as a PEM public key on every verify and sign, and that failed parse
   * (an OpenSSL decode and a thrown error) was the largest CPU cost of a request
   * (docs/benchmarks.md §1, order intake).
   */
  private readonly key: KeyObject;

  constructor(
    private readonly clients: ClientRecord[],
    secret: string,
    readonly ttlSeconds: number,
  ) {
    this.key = createSecretKey(Buffer.from(secret, 'utf8'));
  }

  /**
   * HTTP Basic `clientId:secret` → a signed token; constant-time on the secret.
   * `impersonate` names a client the caller may act for (its `mayImpersonate`), by
   * clientId or GUID: the token then carries that client's identity and tenant, and
   * the caller in the `act` claim (RFC 8693's actor claim), and the answer's
   * `impersonating` is that client's GUID, as in seed 002 §0. Its roles are those both
   * clients hold, so acting for someone never grants more than either has.
   */
  issue(authorization: string | undefined, impersonate?: string): { accessToken: string; expiresIn: number; impersonating: string | null } {
    const m = /^Basic\s+(.+)$/i.exec(authorization ?? '');
    if (!m) throw unauthorized('Basic', 'HTTP Basic credentials (clientId:secret) are required');
    const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
    const sep = decoded.indexOf(':');
    const clientId = decoded.slice(0, sep);
    const secret = decoded.slice(sep + 1);
    const client = this.clients.find((c) => c.clientId === clientId);
    if (sep < 0 || !client || !timingSafeEqual(digest(secret), digest(client.secret))) {
      throw unauthorized('Basic', 'Invalid client credentials');
    }
    if (impersonate && impersonate !== client.clientId && impersonate.toLowerCase() !== client.guid.toLowerCase()) {
      const target = this.clients.find((c) => c.clientId === impersonate || c.guid.toLowerCase() === impersonate.toLowerCase());
      // An unknown client and a forbidden one get the same answer: client ids do not leak.
      if (!target || !client.mayImpersonate.includes(target.clientId)) {
        throw new HttpError(403, `Client ${client.clientId} may not impersonate ${impersonate}`);
      }
      const claims = { tenant: target.tenantId, roles: client.roles.filter((r) => target.roles.includes(r)), act: { sub: client.clientId } };
      const accessToken = jwt.sign(claims, this.key, { subject: target.clientId, expiresIn: this.ttlSeconds, algorithm: 'HS256' });
      return { accessToken, expiresIn: this.ttlSeconds, impersonating: target.guid };
    }
    const claims = { tenant: client.tenantId, roles: client.roles };
    const accessToken = jwt.sign(claims, this.key, { subject: client.clientId, expiresIn: this.ttlSeconds, algorithm: 'HS256' });
    return { accessToken, expiresIn: this.ttlSeconds, impersonating: null };
  }

  verify(authorization: string | undefined): Principal {
    const m = /^Bearer\s+(.+)$/i.exec(authorization ?? '');
    if (!m) throw unauthorized('Bearer', 'A bearer token is required (get one from GET /api/1.0/auth)');
    try {
      const claims = jwt.verify(m[1]!, this.key, { algorithms: ['HS256'] }) as jwt.JwtPayload;
      const actor = (claims.act as { sub?: unknown } | undefined)?.sub;
      return {
        clientId: String(claims.sub),
        tenantId: String(claims.tenant),
        roles: (claims.roles ?? []) as Role[],
        ...(typeof actor === 'string' ? { impersonatedBy: actor } : {}),
      };
    } catch (err) {
      throw unauthorized('Bearer', `Invalid or expired token: ${(err as Error).message}`);
    }
  }

  /** Middleware: a valid token that carries one of `roles`; the principal lands in `res.locals.principal`. */
  require(...roles: Role[]): RequestHandler {
    return (req, res, next) => {
      const principal = this.verify(req.get('authorization'));
      if (!roles.some((r) => principal.roles.includes(r))) {
        throw new HttpError(403, `Forbidden: this endpoint needs the role ${roles.join(' or ')}`);
      }
      res.locals.principal = principal;
      next();
    };
  }
}

function unauthorized(scheme: 'Basic' | 'Bearer', message: string): HttpError {
  return new HttpError(401, message, message, {}, { 'WWW-Authenticate': `${scheme} realm="ordering"` });
}
