import type { Principal } from '../shared/auth';

/** `buyer <clientId>`: the order's state-change notification says the buyer did it; the ops audit trail names the client. */
export function actor(principal: Principal): string {
  return `buyer ${principal.impersonatedBy ? `${principal.clientId} (impersonated by ${principal.impersonatedBy})` : principal.clientId}`;
}
