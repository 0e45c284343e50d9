/**
 * Delivers MEF order notifications to the buyer's endpoint (contract in docs/external-systems.md):
 * `POST <notificationUrl>` with the notification as JSON; any 2xx is delivered.
 * Everything else throws, and the activity's retry policy keeps trying for a week:
 * an endpoint that is down, or answers 404 while being redeployed, loses nothing.
 */
export interface BuyerNotifier {
  deliver(url: string, notification: Record<string, unknown>): Promise<void>;
}

export function httpBuyerNotifier(timeoutMs: number): BuyerNotifier {
  return {
    async deliver(url, notification) {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': String(notification.id) },
        body: JSON.stringify(notification),
        signal: AbortSignal.timeout(timeoutMs),
      });
      await res.arrayBuffer();
      if (!res.ok) throw new Error(`buyer endpoint answered HTTP ${res.status}`);
    },
  };
}
