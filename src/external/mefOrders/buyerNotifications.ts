import { webhookHeaders } from '../shared/webhookSignature';

/**
 * Delivers MEF order notifications to the buyer's endpoint (contract in docs/external-systems.md):
 * `POST <notificationUrl>` with the notification as JSON; any 2xx is delivered.
 * Everything else throws, and the activity's retry policy keeps trying for a week:
 * an endpoint that is down, or answers 404 while being redeployed, loses nothing.
 * With the buyer's secret, each attempt is signed (Standard Webhooks: webhook-id is the
 * notification's id, webhook-timestamp this attempt's time; src/external/shared/webhookSignature.ts).
 */
export interface BuyerNotifier {
  deliver(url: string, notification: Record<string, unknown>, signingSecret?: string | null): Promise<void>;
}

export function httpBuyerNotifier(timeoutMs: number): BuyerNotifier {
  return {
    async deliver(url, notification, signingSecret) {
      const id = String(notification.id);
      const body = JSON.stringify(notification);
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': id, ...(signingSecret ? webhookHeaders(signingSecret, id, body) : {}) },
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
      await res.arrayBuffer();
      if (!res.ok) throw new Error(`buyer endpoint answered HTTP ${res.status}`);
    },
  };
}
