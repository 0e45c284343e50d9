import { webhookHeaders } from './webhookSignature';

/**
 * One delivery attempt of a webhook: `POST <url>` with `body` as JSON, signed with the
 * receiver's secret when it has one (Standard Webhooks; `id` is the message's id, the same
 * on every attempt, and the Idempotency-Key). Any 2xx is delivered; anything else throws,
 * for the caller's retries.
 */
export async function postWebhook(url: string, message: { id: string; body: string; signingSecret?: string | null }, timeoutMs: number): Promise<void> {
  const { id, body, signingSecret } = message;
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': id, ...(signingSecret ? webhookHeaders(signingSecret, id, body) : {}) },
    body,
    signal: AbortSignal.timeout(timeoutMs),
    redirect: 'manual',
  });
  await res.arrayBuffer();
  if (!res.ok) throw new Error(`the endpoint answered HTTP ${res.status}`);
}
