import { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { SEARCH_ATTRIBUTES } from '../workflows/shared/searchAttributes';

export interface DevServerOptions {
  binary: string;
  dbFile: string;
  port: number;
  uiPort: number;
  namespace: string;
  /** The codec endpoint the Web UI decodes payloads through (the API's ops listener). */
  codecEndpoint?: string;
}

/**
 * SQLite settings of the embedded Temporal's file. WAL with synchronous=FULL: a commit
 * is one fsync of the log instead of the journal's and the file's, and every committed
 * transaction survives a process crash and a power cut, as before. synchronous=NORMAL
 * was faster still but may lose the last commits on a power cut, so an order a partner
 * was told is accepted could vanish (docs/benchmarks.md §1, the store comparison).
 */
export const DEV_SERVER_SQLITE_PRAGMAS = ['journal_mode=WAL', 'synchronous=FULL'];

/** `temporal server start-dev` arguments: persisted to SQLite, our search attributes registered. */
export function devServerArgs(o: DevServerOptions): string[] {
  return [
    'server', 'start-dev',
    '--ip', '127.0.0.1',
    '--port', String(o.port),
    '--ui-port', String(o.uiPort),
    '--db-filename', o.dbFile,
    ...DEV_SERVER_SQLITE_PRAGMAS.flatMap((pragma) => ['--sqlite-pragma', pragma]),
    '--namespace', o.namespace,
    '--log-level', 'warn',
    ...(o.codecEndpoint ? ['--ui-codec-endpoint', o.codecEndpoint] : []),
    ...SEARCH_ATTRIBUTES.flatMap((k) => ['--search-attribute', `${k.name}=Keyword`]),
  ];
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

/**
 * `start-dev --search-attribute` registers attributes only when it creates its SQLite
 * file, so a data directory from before an attribute was added lacks it and every
 * start that sets it would be refused. Adds the missing ones, then waits (bounded)
 * until a query naming all of them is accepted: the frontend validates against a
 * cached list that refreshes on its own schedule.
 */
export async function registerSearchAttributes(address: string, namespace: string, timeoutMs = 30_000): Promise<string[]> {
  const conn = await Connection.connect({ address, connectTimeout: 2000 });
  try {
    const { customAttributes } = await conn.operatorService.listSearchAttributes({ namespace });
    const missing = SEARCH_ATTRIBUTES.map((k) => k.name).filter((name) => !(name in customAttributes));
    if (missing.length > 0) {
      // All of ours are Keyword, as devServerArgs registers them.
      const keyword = temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD;
      await conn.operatorService.addSearchAttributes({ namespace, searchAttributes: Object.fromEntries(missing.map((name) => [name, keyword])) });
    }
    const query = SEARCH_ATTRIBUTES.map((k) => `${k.name} = 'probe'`).join(' AND ');
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        await conn.workflowService.listWorkflowExecutions({ namespace, query, pageSize: 1 });
        return missing;
      } catch (err) {
        if (Date.now() > deadline) throw new Error(`search attributes ${missing.join(', ')} not usable within ${timeoutMs} ms: ${String(err)}`);
        await new Promise((r) => setTimeout(r, 300));
      }
    }
  } finally {
    await conn.close();
  }
}

/**
 * Polls until a worker polls `taskQueue` for workflow tasks, so "ready" means an order
 * sent now is answered (the API alone would accept it and wait for the worker).
 */
export async function waitForWorkerPolling(address: string, namespace: string, taskQueue: string, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const conn = await Connection.connect({ address, connectTimeout: 2000 });
  try {
    while (Date.now() < deadline) {
      const { pollers } = await conn.workflowService.describeTaskQueue({
        namespace,
        taskQueue: { name: taskQueue },
        taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
      });
      if (pollers.length > 0) return;
      await new Promise((r) => setTimeout(r, 300));
    }
  } finally {
    await conn.close();
  }
  throw new Error(`no worker polled task queue ${taskQueue} within ${timeoutMs} ms`);
}
