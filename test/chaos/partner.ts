import { sleep } from './processes';

export interface Answer {
  status: number;
  body: any;
}

/**
 * A partner's HTTP client as docs/ tells partners to behave: a 5xx, a 429, a
 * network error (and, where the API says "received, look again", a 202) is sent
 * again after a pause with the same Idempotency-Key and the same body, for as long
 * as `patienceMs`. Counts what it had to retry, so a test can show the chaos was felt.
 */
export class Partner {
  retries = 0;
  networkErrors = 0;
  private token = '';

  constructor(private readonly baseUrl: string, private readonly patienceMs = 600_000) {}

  async signIn(clientId = 'demo'): Promise<void> {
    const basic = Buffer.from(`${clientId}:${clientId}-secret`).toString('base64');
    const res = await this.call('GET', '/api/1.0/auth', undefined, { Authorization: `Basic ${basic}` });
    if (res.status !== 200) throw new Error(`sign-in as ${clientId}: ${res.status} ${JSON.stringify(res.body)}`);
    this.token = res.body.accessToken as string;
  }

  get(path: string): Promise<Answer> {
    return this.call('GET', path);
  }

  post(path: string, body: unknown, idempotencyKey: string, opts: { retryOn202?: boolean } = {}): Promise<Answer> {
    return this.call('POST', path, body, { 'Idempotency-Key': idempotencyKey }, opts.retryOn202);
  }

  private async call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}, retryOn202 = false): Promise<Answer> {
    const deadline = Date.now() + this.patienceMs;
    let last = '';
    for (let attempt = 0; Date.now() < deadline; attempt += 1) {
      if (attempt > 0) {
        this.retries += 1;
        await sleep(Math.min(3000, 250 * 2 ** Math.min(attempt, 4)) * (0.5 + Math.random()));
      }
      try {
        const res = await fetch(`${this.baseUrl}${path}`, {
          method,
          headers: {
            ...(this.token ? { Authorization: `Bearer ${this.token}` } : {}),
            ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
            ...headers,
          },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(60_000),
        });
        const text = await res.text();
        const answer = { status: res.status, body: text ? JSON.parse(text) : undefined };
        if (res.status >= 500 || res.status === 429 || (retryOn202 && res.status === 202)) {
          last = `${res.status} ${text.slice(0, 300)}`;
          continue;
        }
        return answer;
      } catch (err) {
        this.networkErrors += 1;
        last = String(err);
      }
    }
    throw new Error(`${method} ${path}: no answer within ${this.patienceMs} ms; last: ${last}`);
  }
}

/** Runs `jobs` with at most `concurrency` at once; rejects with the first failure after all settle. */
export async function pool<T>(concurrency: number, jobs: (() => Promise<T>)[]): Promise<T[]> {
  const results: T[] = new Array(jobs.length);
  const errors: unknown[] = [];
  let next = 0;
  const lane = async () => {
    while (next < jobs.length) {
      const i = next++;
      try {
        results[i] = await jobs[i]!();
      } catch (err) {
        errors.push(err);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, jobs.length) }, lane));
  if (errors.length) throw new Error(`${errors.length} of ${jobs.length} jobs failed; first: ${String(errors[0])}`);
  return results;
}

/** Polls `check` until it returns a value, bounded; the last seen value is in the error. */
export async function until<T>(what: string, check: () => Promise<{ done: true; value: T } | { done: false; seen: unknown }>, timeoutMs: number, intervalMs = 1000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let seen: unknown;
  while (Date.now() < deadline) {
    const r = await check();
    if (r.done) return r.value;
    seen = r.seen;
    await sleep(intervalMs);
  }
  throw new Error(`${what}: not done within ${timeoutMs} ms; last seen ${JSON.stringify(seen)?.slice(0, 500)}`);
}
