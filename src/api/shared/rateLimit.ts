import type { RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit, type Store } from 'express-rate-limit';
import type { Authenticator } from './auth';
import { HttpError } from './errors';

/**
 * One budget per client: a valid bearer token counts for the client that really calls (the
 * token's subject, or under impersonation the client acting, `act.sub`), so a new token
 * does not start a new budget and a broker acting for ten clients has one. Anything else
 * (no token, an invalid or expired one, Basic credentials on the token exchange) counts for
 * the address: a name in a header proves nothing, and must not spend a client's budget.
 *
 * `store`: shared by every API process (PostgreSQL, rateLimitStore.ts), or the library's
 * memory store in this process (the embedded default, one API). A store that cannot answer
 * lets the request through: the request then meets the same database, and its own 503.
 */
export function rateLimiter(perMinute: number, { auth, store }: { auth: Authenticator; store?: Store }): RequestHandler {
  return rateLimit({
    windowMs: 60_000,
    limit: perMinute,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    ...(store ? { store, passOnStoreError: true } : {}),
    keyGenerator: (req) => {
      const header = req.get('authorization');
      if (header && /^Bearer\s/i.test(header)) {
        try {
          const principal = auth.verify(header);
          return `client:${principal.impersonatedBy ?? principal.clientId}`;
        } catch {
          // Counted by address below; the route refuses the token itself.
        }
      }
      return `ip:${ipKeyGenerator(req.ip ?? 'unknown')}`;
    },
    handler: (req, _res, next) => {
      const reset = (req as { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
      const retryAfter = Math.max(1, Math.ceil(((reset?.getTime() ?? Date.now() + 60_000) - Date.now()) / 1000));
      next(new HttpError(429, `Too many requests; retry after ${retryAfter} seconds`, undefined, {}, { 'Retry-After': String(retryAfter) }));
    },
  });
}
