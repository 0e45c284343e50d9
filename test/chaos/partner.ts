import { sleep } from './processes';

export interface Answer {
  status: number;
  body: any;
}

/** One answer under the partner's token, as a rate-limit check reads it. */
export interface Answered {
  /** Which of the partner's base URLs answered. */
  api: number;
  status: number;
  /** When the request was sent (ms since the epoch): the answer may come long after the limit counted it. */
  sentAt: number;
  /** The draft-7 `RateLimit` header: `limit=L, remaining=R, reset=S`. */
  rateLimit: string | null;
}

/**
 * A partner's HTTP client as docs/ tells partners to behave: a 5xx, a 429, a
 * network error (and, where the API says "received, look again", a 202) is sent
 * again after a pause with the same Idempotency-Key and the same body, for as long
 * as `patienceMs`. Counts what it had to retry, so a test can show the chaos was felt.
 * With several base URLs (API processes), each attempt goes to the next one, as a
 * round-robin load balancer sends it: a retry after a dead API's network error reaches another.
 */
export class Partner {
  retries = 0;
  networkErrors = 0;
  /** Every answer under the token, in order (only when `recordAnswers`). */
  readonly answers: Answered[] = [];
  private token = '';
  private readonly baseUrls: string[];
  private next = 0;

  constructor(baseUrl: string | string[], private readonly patienceMs = 600_000, private readonly recordAnswers = false) {
    this.baseUrls = typeof baseUrl === 'string' ? [baseUrl] : baseUrl;
  }

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

  /** One attempt, no retry, at the next base URL (or API `api`); recorded like any other. */
  async once(method: string, path: string, body?: unknown, headers: Record<string, string> = {}, api = this.next++ % this.baseUrls.length): Promise<Answer> {
    const sentAt = Date.now();
    const res = await fetch(`${this.baseUrls[api]}${path}`, {
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
    if (this.recordAnswers && this.token) this.answers.push({ api, status: res.status, sentAt, rateLimit: res.headers.get('ratelimit') });
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
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
        const answer = await this.once(method, path, body, headers);
        if (answer.status >= 500 || answer.status === 429 || (retryOn202 && answer.status === 202)) {
          last = `${answer.status} ${JSON.stringify(answer.body)?.slice(0, 300)}`;
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
