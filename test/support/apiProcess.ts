import { ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { freePort } from './freePort';
import { TEST_PAYLOAD_KEYS } from './payloadKeys';

const ROOT = path.resolve(__dirname, '../..');
const READY_WITHIN_MS = 60_000;
// Only the tail is kept, for a failure message; the pipe must be drained either way.
const OUTPUT_TAIL = 20_000;

/** The API as production runs it (`src/api/server.ts`, its own process), so a test can SIGKILL it. */
export interface ApiProcess {
  /** `http://127.0.0.1:<port>` */
  url: string;
  port: number;
  /** SIGKILL: no drain, no goodbye; resolves when the process is gone. */
  kill(): Promise<void>;
  output(): string;
}

/**
 * Starts the API with `env` (DATABASE_URL, TEMPORAL_ADDRESS, …) and waits for /healthz: on a
 * free port, or on `port` (a killed API's successor, at the address its callers know).
 */
export async function startApiProcess(env: Record<string, string>, { port: given }: { port?: number } = {}): Promise<ApiProcess> {
  const port = given ?? (await freePort());
  const child: ChildProcess = spawn('node', ['--import', 'tsx', 'src/api/server.ts'], {
    cwd: ROOT,
    // OPS_PORT=0: the ops listener on any free port, never in the way of another test or `npm start`.
    env: { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'warn', ...TEST_PAYLOAD_KEYS, OPS_PORT: '0', ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-OUTPUT_TAIL);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const kill = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  };
  const deadline = Date.now() + READY_WITHIN_MS;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the API exited with ${child.exitCode} before it was ready:\n${output}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      await kill();
      throw new Error(`the API was not ready within ${READY_WITHIN_MS} ms:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { url, port, kill, output: () => output };
}
