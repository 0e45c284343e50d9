import { CallbackPolicy, callbackAddressProblem } from '../shared/callbackAddress';
import { postWebhook } from '../shared/webhookDelivery';

/**
 * Delivers one hub event to one listener's callback (contract in docs/mef-orders.md, "The
 * notification hub"): the address is checked again at each attempt (a name may resolve
 * elsewhere by now), then `POST <callback>` with the event, signed with the listener's
 * secret. Any 2xx is delivered; everything else throws, for the activity's retries.
 */
export interface HubDeliverer {
  deliver(callback: string, message: { id: string; body: string; signingSecret: string }): Promise<void>;
}

export function httpHubDeliverer(timeoutMs: number, policy: CallbackPolicy): HubDeliverer {
  return {
    async deliver(callback, message) {
      const problem = await callbackAddressProblem(callback, policy);
      if (problem) throw new Error(`the callback ${problem}`);
      await postWebhook(callback, message, timeoutMs);
    },
  };
}
