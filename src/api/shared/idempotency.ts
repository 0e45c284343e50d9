import { createHash } from 'node:crypto';
import { z } from 'zod';
import { ErrorStyle, HttpError } from './errors';

/** Key order does not change what a body means, so it must not change its hash. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value as object)
        .sort()
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

export function requestHash(body: unknown): string {
  return createHash('sha256').update(JSON.stringify(canonical(body))).digest('hex');
}

/**
 * A public id derived from (tenant, scope, key): the same Idempotency-Key from the
 * same client always names the same resource, and so the same workflow id.
 * Formatted as a UUID (version nibble 5, as for name-based UUIDs).
 */
export function deriveId(tenantId: string, scope: string, key: string): string {
  const h = createHash('sha256').update(`${tenantId}\u0000${scope}\u0000${key}`).digest('hex');
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * The one answer, in every family, for an Idempotency-Key reused with another body: 409
 * Conflict. Seed 000 lists 409 for conflicts and has no 422, and the key names a resource
 * that exists in another state: a conflict, not an unprocessable body. The code families
 * (eSIM, MEF) read IDEMPOTENCY_KEY_REUSED; the cause families the sentence.
 */
export const IDEMPOTENCY_KEY_REUSED = 'IDEMPOTENCY_KEY_REUSED';
export function idempotencyKeyReused(style: ErrorStyle, message: string): HttpError {
  return style === 'code' ? new HttpError(409, IDEMPOTENCY_KEY_REUSED, message) : new HttpError(409, message, message);
}

/**
 * The Idempotency-Key request header of every creating POST, declared once: 1 to 255
 * visible ASCII characters. Without it the body (or, for MEF, the buyer's PO number) is
 * the key.
 */
export const IdempotencyKeyHeader = z
  .string()
  .regex(/^[\x21-\x7e]{1,255}$/, 'must be 1 to 255 visible ASCII characters')
  .optional()
  .describe('Names the resource this request creates: a retry with the same key and body answers the same resource; the same key with another body is 409');
