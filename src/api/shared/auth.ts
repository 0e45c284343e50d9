import { createSecretKey, KeyObject } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { RequestHandler } from 'express';
import jwt from 'jsonwebtoken';
import { z } from 'zod';
import { PROJECT_ROOT } from '../../projectFiles';
import { secretHashProblem, secretMatches } from './clientSecrets';
import { HttpError } from './errors';
import { deriveId } from './idempotency';

export const ROLES = ['CO', 'RESELLER', 'ACCOUNT_MANAGER', 'CLIENT', 'BUYER', 'OPS'] as const;
export type Role = (typeof ROLES)[number];

const ClientsFile = z.object({
  clients: z.array(
    z
      .object({
        /** The login (HTTP Basic user name). */
        clientId: z.string().min(1),
        /**
         * The client's GUID: what a token acting for it names in `impersonating` (seed 002 §0).
         * Optional, so a clients file written before it still loads: without one it is a
         * UUID derived from the clientId, the same on every start.
         */
        guid: z.guid().optional(),
        /** The secret as scrypt makes it (clientSecrets.ts): what production keeps. */
        secretHash: z
          .string()
          .optional()
          .superRefine((v, ctx) => {
            const problem = v === undefined ? undefined : secretHashProblem(v);
            if (problem) ctx.addIssue({ code: 'custom', message: problem });
          }),
        /** The secret in clear: the demo clients only; NODE_ENV=production refuses it. */
        secret: z.string().min(1).optional(),
        tenantId: z.string().min(1),
        roles: z.array(z.enum(ROLES)),
        /** Clients this one may act for (price API impersonation), by clientId. */
        mayImpersonate: z.array(z.string()).default([]),
      })
      .refine((c) => (c.secret === undefined) !== (c.secretHash === undefined), { message: 'each client needs exactly one of secretHash and secret' }),
  ),
});
export type ClientRecord = z.infer<typeof ClientsFile>['clients'][number] & { guid: string };

/** The README's demo clients: anyone who has read it can use them. */
export const DEMO_CLIENTS_FILE = path.join(PROJECT_ROOT, 'config', 'demo-clients.json');

/**
 * Reads the clients file. With `production`, refuses the demo clients (by content, so a copy
 * mounted elsewhere is refused too) and any secret kept in clear: a token for any tenant
 * must not be one README away, and a leaked file must not give the secrets away.
 */
export function loadClients(file: string, { production = false }: { production?: boolean } = {}): ClientRecord[] {
  const text = fs.readFileSync(file, 'utf8');
  if (production && fs.existsSync(DEMO_CLIENTS_FILE) && text === fs.readFileSync(DEMO_CLIENTS_FILE, 'utf8')) {
    throw new Error(`CLIENTS_FILE ${file} is the demo clients file: with NODE_ENV=production set CLIENTS_FILE to your own clients, secrets hashed (npm run ops -- hash-secret)`);
  }
  const parsed = ClientsFile.safeParse(JSON.parse(text));
  if (!parsed.success) throw new Error(`Invalid clients file ${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const clear = parsed.data.clients.filter((c) => c.secret !== undefined).map((c) => c.clientId);
  if (production && clear.length > 0) {
    throw new Error(`CLIENTS_FILE ${file} keeps the secret of ${clear.join(', ')} in clear: with NODE_ENV=production each client needs secretHash (npm run ops -- hash-secret)`);
  }
  return parsed.data.clients.map((c) => ({ ...c, guid: c.guid ?? deriveId('clients', 'client-guid', c.clientId) }));
}

/** Who a token is from and for: checked on every request, so a token minted for another service with the same secret is refused. */
export interface TokenScope {
  issuer: string;
  audience: string;
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

/** What a workflow input records of the caller (workflows/shared/sameRequest.ts Accountable): the real caller under impersonation. */
export function actingFor(principal: Principal): { impersonatedBy?: string } {
  return principal.impersonatedBy ? { impersonatedBy: principal.impersonatedBy } : {};
}

export const DEFAULT_TOKEN_SCOPE: TokenScope = { issuer: 'ordering-integration-worker', audience: 'ordering-partner-api' };

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
    private readonly scope: TokenScope = DEFAULT_TOKEN_SCOPE,
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
  async issue(authorization: string | undefined, impersonate?: string): Promise<{ accessToken: string; expiresIn: number; impersonating: string | null }> {
    const m = /^Basic\s+(.+)$/i.exec(authorization ?? '');
    if (!m) throw unauthorized('Basic', 'HTTP Basic credentials (clientId:secret) are required');
    const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
    const sep = decoded.indexOf(':');
    const clientId = decoded.slice(0, sep);
    const secret = decoded.slice(sep + 1);
    const client = this.clients.find((c) => c.clientId === clientId);
    // Checked even for an unknown client (against a hash of nothing): timing must not tell which client ids exist.
    const matches = await secretMatches(secret, client);
    if (sep < 0 || !client || !matches) {
      throw unauthorized('Basic', 'Invalid client credentials');
    }
    if (impersonate && impersonate !== client.clientId && impersonate.toLowerCase() !== client.guid.toLowerCase()) {
      const target = this.clients.find((c) => c.clientId === impersonate || c.guid.toLowerCase() === impersonate.toLowerCase());
      // An unknown client and a forbidden one get the same answer: client ids do not leak.
      if (!target || !client.mayImpersonate.includes(target.clientId)) {
        throw new HttpError(403, `Client ${client.clientId} may not impersonate ${impersonate}`);
      }
      const claims = { tenant: target.tenantId, roles: client.roles.filter((r) => target.roles.includes(r)), act: { sub: client.clientId } };
      const accessToken = jwt.sign(claims, this.key, { ...this.signOptions(), subject: target.clientId });
      return { accessToken, expiresIn: this.ttlSeconds, impersonating: target.guid };
    }
    const claims = { tenant: client.tenantId, roles: client.roles };
    const accessToken = jwt.sign(claims, this.key, { ...this.signOptions(), subject: client.clientId });
    return { accessToken, expiresIn: this.ttlSeconds, impersonating: null };
  }

  verify(authorization: string | undefined): Principal {
    const m = /^Bearer\s+(.+)$/i.exec(authorization ?? '');
    if (!m) throw unauthorized('Bearer', 'A bearer token is required (get one from GET /api/1.0/auth)');
    try {
      const claims = jwt.verify(m[1]!, this.key, { algorithms: ['HS256'], issuer: this.scope.issuer, audience: this.scope.audience }) as jwt.JwtPayload;
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

  private signOptions(): jwt.SignOptions {
    return { expiresIn: this.ttlSeconds, algorithm: 'HS256', issuer: this.scope.issuer, audience: this.scope.audience };
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
