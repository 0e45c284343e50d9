import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Answers one request to the stub; `body` is the request body, parsed when it is JSON. */
export type StubAnswer = (req: IncomingMessage, res: ServerResponse, body: unknown) => void;

export interface SeenRequest {
  method: string;
  url: string;
  body: unknown;
}

export interface StubServer<Seen = SeenRequest> {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  url: string;
  /** Every request so far, in arrival order, as the stub's `record` saw it. */
  seen: Seen[];
  /** The script: how the next requests are answered. Tests replace it between steps. */
  answer: StubAnswer;
  close(): Promise<void>;
}

/** A script that answers every request with `status` and `body` as JSON (empty when omitted). */
export const answerJson =
  (status: number, body?: unknown): StubAnswer =>
  (_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(body === undefined ? '' : JSON.stringify(body));
  };

const parsed = (text: string): unknown => {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};

/**
 * A local HTTP stand-in for an external system we do not own, on 127.0.0.1 and an
 * ephemeral port: it records each request (after reading its body) and answers from
 * `answer`, which a test may swap. `close()` also drops kept-alive and hanging connections.
 */
export async function startStubServer<Seen = SeenRequest>(
  answer: StubAnswer = answerJson(200, {}),
  /** What to keep of a request: by default method, url and the parsed body; `raw` is the body's text as sent (what a signature covers). */
  record: (req: IncomingMessage, body: unknown, raw: string) => Seen = (req, body) => ({ method: req.method ?? '', url: req.url ?? '', body }) as Seen,
): Promise<StubServer<Seen>> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const body = parsed(raw);
      stub.seen.push(record(req, body, raw));
      stub.answer(req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const stub: StubServer<Seen> = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen: [],
    answer,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
    },
  };
  return stub;
}

/**
 * One stub for a whole test file: started before the tests, closed after them, and its
 * record of requests emptied before each test. Its fields are the running stub's, so
 * read and set them inside tests (`stub.answer = answerJson(200, ...)`).
 */
export function useStubServer<Seen = SeenRequest>(record?: (req: IncomingMessage, body: unknown) => Seen): Omit<StubServer<Seen>, 'close'> {
  let current: StubServer<Seen>;
  beforeAll(async () => {
    current = await startStubServer<Seen>(undefined, record);
  });
  afterAll(async () => {
    await current?.close();
  });
  beforeEach(() => {
    current.seen.length = 0;
  });
  return {
    get url() {
      return current.url;
    },
    get seen() {
      return current.seen;
    },
    get answer() {
      return current.answer;
    },
    set answer(answer: StubAnswer) {
      current.answer = answer;
    },
  };
}

/**
 * What a call to an adapter threw; fails the test if it resolved. A fetch timeout is a
 * DOMException from Node's own realm, not an instance of the jest sandbox's Error, so
 * this checks the shape instead.
 */
export async function failureOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    expect(err).toEqual(expect.objectContaining({ name: expect.any(String), message: expect.any(String) }));
    return err as Error;
  }
  throw new Error('expected a rejection, but it resolved');
}
