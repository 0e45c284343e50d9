import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Webhook signatures as the Standard Webhooks specification defines them
 * (https://www.standardwebhooks.com): three headers on each delivery, `webhook-id` (the
 * message's id, the same on every retry), `webhook-timestamp` (Unix seconds of this attempt)
 * and `webhook-signature` (`v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">`), keyed with
 * the receiver's secret `whsec_<base64 key>`. A receiver checks the signature over the exact
 * bytes it got, and refuses a timestamp far from its clock (a replay). The libraries of
 * standardwebhooks.com (and Svix's) verify these as they are.
 */
export const WEBHOOK_SECRET_PREFIX = 'whsec_';
const KEY_BYTES = 32;

export function newWebhookSecret(): string {
  return `${WEBHOOK_SECRET_PREFIX}${randomBytes(KEY_BYTES).toString('base64')}`;
}

function keyOf(secret: string): Buffer {
  if (!secret.startsWith(WEBHOOK_SECRET_PREFIX)) throw new Error(`a webhook secret starts with ${WEBHOOK_SECRET_PREFIX}`);
  return Buffer.from(secret.slice(WEBHOOK_SECRET_PREFIX.length), 'base64');
}

function signature(secret: string, id: string, timestamp: number, body: string): string {
  return createHmac('sha256', keyOf(secret)).update(`${id}.${timestamp}.${body}`).digest('base64');
}

/** The three headers for one delivery attempt of `body` (the exact string sent). */
export function webhookHeaders(secret: string, id: string, body: string, now = new Date()): Record<string, string> {
  const timestamp = Math.floor(now.getTime() / 1000);
  return { 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': `v1,${signature(secret, id, timestamp, body)}` };
}

/**
 * The receiver's check: why the delivery is refused, or undefined when it is genuine. The
 * signature header may list several (`v1,a v1,b`, while a secret is rotated); one must match.
 */
export function webhookProblem(
  secret: string,
  headers: { 'webhook-id'?: string; 'webhook-timestamp'?: string; 'webhook-signature'?: string },
  body: string,
  { now = new Date(), toleranceSeconds = 300 } = {},
): string | undefined {
  const id = headers['webhook-id'];
  const timestamp = Number(headers['webhook-timestamp']);
  const signatures = headers['webhook-signature'];
  if (!id || !Number.isInteger(timestamp) || !signatures) return 'webhook-id, webhook-timestamp and webhook-signature are required';
  if (Math.abs(now.getTime() / 1000 - timestamp) > toleranceSeconds) return `webhook-timestamp ${timestamp} is more than ${toleranceSeconds} s from now`;
  const expected = Buffer.from(signature(secret, id, timestamp, body), 'base64');
  const matches = signatures.split(' ').some((entry) => {
    const [version, value] = entry.split(',', 2);
    const given = Buffer.from(value ?? '', 'base64');
    return version === 'v1' && given.length === expected.length && timingSafeEqual(given, expected);
  });
  return matches ? undefined : 'no webhook-signature matches';
}
