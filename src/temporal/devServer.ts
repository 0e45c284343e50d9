import { spawn, ChildProcess } from 'node:child_process';
import { Connection } from '@temporalio/client';
import { SEARCH_ATTRIBUTES } from '../workflows/shared/searchAttributes';

export interface DevServerOptions {
  binary: string;
  dbFile: string;
  port: number;
  uiPort: number;
  namespace: string;
}

/** `temporal server start-dev` arguments: persisted to SQLite, our search attributes registered. */
export function devServerArgs(o: DevServerOptions): string[] {
  return [
    'server', 'start-dev',
    '--ip', '127.0.0.1',
    '--port', String(o.port),
    '--ui-port', String(o.uiPort),
    '--db-filename', o.dbFile,
    '--namespace', o.namespace,
    '--log-level', 'warn',
    ...SEARCH_ATTRIBUTES.flatMap((k) => ['--search-attribute', `${k.name}=Keyword`]),
  ];
}

export function spawnDevServer(o: DevServerOptions): ChildProcess {
  return spawn(o.binary, devServerArgs(o), { stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Polls until the frontend answers, bounded so a broken server fails the start instead of hanging it. */
export async function waitForTemporal(address: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const conn = await Connection.connect({ address, connectTimeout: 1000 });
      try {
        await conn.workflowService.getSystemInfo({});
        return;
      } finally {
        await conn.close();
      }
    } catch (err) {
      last = err;
      await new Promise((r) => setTimeout(r, 300));
    }
  }
  throw new Error(`Temporal at ${address} did not answer within ${timeoutMs} ms: ${String(last)}`);
}
