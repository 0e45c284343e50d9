/**
 * How every HTTP adapter talks to a system we do not own: one JSON call with a
 * timeout, its answer read once, and one rule for which failures are final.
 */
export interface HttpAnswer {
  status: number;
  ok: boolean;
  /** The parsed body; undefined when it is empty or not JSON. */
  json: unknown;
  /** The body's `message` when it has one, else "<who> answered HTTP <status>". */
  message: string;
}

export async function callJson(who: string, url: string, method: string, body: unknown, timeoutMs: number): Promise<HttpAnswer> {
  const res = await fetch(url, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined; // a non-JSON body keeps the status line as the message
  }
  const said = (json as { message?: unknown } | undefined)?.message;
  return { status: res.status, ok: res.ok, json, message: typeof said === 'string' && said ? said : `${who} answered HTTP ${res.status}` };
}

/** A 4xx other than 408 (timeout) and 429 (slow down): the system said no for good; anything else may pass on a retry. */
export function isRefusalForGood(status: number): boolean {
  return status >= 400 && status < 500 && status !== 408 && status !== 429;
}
