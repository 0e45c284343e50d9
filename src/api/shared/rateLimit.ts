import type { RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { createHash } from 'node:crypto';
import { HttpError } from './errors';

/**
 * Per caller: the bearer token (or Basic credentials) when present, else the
 * address. Hashing keeps credentials out of the limiter's memory.
 */
export function rateLimiter(perMinute: number): RequestHandler {
  return rateLimit({
    windowMs: 60_000,
    limit: perMinute,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    keyGenerator: (req) => {
      const auth = req.get('authorization');
      return auth ? createHash('sha256').update(auth).digest('hex') : `ip:${ipKeyGenerator(req.ip ?? 'unknown')}`;
    },
    handler: (req, _res, next) => {
      const reset = (req as { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
      const retryAfter = Math.max(1, Math.ceil(((reset?.getTime() ?? Date.now() + 60_000) - Date.now()) / 1000));
      next(new HttpError(429, `Too many requests; retry after ${retryAfter} seconds`, undefined, {}, { 'Retry-After': String(retryAfter) }));
    },
  });
}
