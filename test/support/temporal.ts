import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { resolveTemporalBinary } from '../../src/temporal/binaries';
import { SEARCH_ATTRIBUTES } from '../../src/workflows/shared/searchAttributes';
import { testDataConverter } from './payloadKeys';

// Worker state changes and bundling are noise in test output; warnings still show.
Runtime.install({ logger: new DefaultLogger('WARN') });

/** The pinned binaries when they can be had; the SDK's download otherwise (needs internet). */
function executable(which: 'cli' | 'testServer') {
  const path = resolveTemporalBinary(which);
  return path ? { type: 'existing-path' as const, path } : undefined;
}

/**
 * A real dev server on a free port, with our search attributes, gone when the file's tests end.
 * `logLevel` quietens it below its default warnings (a benchmark's slow-query warnings are its figures).
 * In memory unless `dbFilename` names a SQLite file, as `npm start`'s is; `sqlitePragmas` are
 * `--sqlite-pragma` values (`journal_mode=WAL`).
 */
export function startDevServer(
  opts: { logLevel?: 'warn' | 'error'; dbFilename?: string; sqlitePragmas?: string[] } = {},
): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createLocal({
    server: {
      executable: executable('cli'),
      searchAttributes: SEARCH_ATTRIBUTES,
      ip: '127.0.0.1',
      log: { format: 'pretty', level: opts.logLevel ?? 'warn' },
      ...(opts.dbFilename ? { dbFilename: opts.dbFilename } : {}),
      extraArgs: (opts.sqlitePragmas ?? []).flatMap((pragma) => ['--sqlite-pragma', pragma]),
    },
    // env.client encrypts like the API's client, so workers built by createWorker read what it sends.
    client: { dataConverter: testDataConverter() },
  });
}

/** The time-skipping test server: timers of days pass at once. */
export function startTimeSkippingServer(): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createTimeSkipping({ server: { executable: executable('testServer') }, client: { dataConverter: testDataConverter() } });
}
