import { postWebhook } from '../shared/webhookDelivery';

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
      await postWebhook(url, { id: String(notification.id), body: JSON.stringify(notification), signingSecret }, timeoutMs);
    },
  };
}
