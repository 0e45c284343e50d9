import fs from 'node:fs';
import path from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { freshDatabase } from '../../test/support/databases';
import { startHarness, type Harness } from '../../test/support/harness';
import { startDevServer } from '../../test/support/temporal';

/**
 * What the record-*-histories scripts share: one dev server, database, API and worker;
 * each named scenario run in turn, its workflow waited for, and its history written to
 * test/fixtures/histories/<name>.json, where a name reads `<kind>.v1.<scenario>` and
 * <kind> is the workflow-id prefix. The replay test replays those files against the
 * current workflow code, so re-record only for a new workflow version and keep the old
 * files. HISTORIES_OUT_DIR writes elsewhere (to try a script without touching fixtures).
 */
export const HISTORIES_DIR = path.resolve(__dirname, '..', '..', 'test', 'fixtures', 'histories');

export interface RecordingContext {
  env: TestWorkflowEnvironment;
  h: Harness;
  /** A bearer token of the `demo` client. */
  token: string;
}

export interface Recording {
  /** Settings for API and worker, mostly to make the slow paths finish in seconds. */
  configEnv?: Record<string, string>;
  /** Named after the fixture file they write: `<kind>.v1.<scenario>`. */
  scenarios(ctx: RecordingContext): Record<string, () => Promise<WorkflowHandle>>;
  /** How long to wait for a scenario's workflow before its history is taken; by default not at all. */
  settle?(handle: WorkflowHandle): Promise<unknown>;
}

export async function recordScenarios(recording: Recording): Promise<void> {
  const out = process.env.HISTORIES_OUT_DIR ? path.resolve(process.env.HISTORIES_OUT_DIR) : HISTORIES_DIR;
  const env = await startDevServer();
  const db = await freshDatabase('libsql');
  const h = await startHarness(env, db, { configEnv: recording.configEnv });
  try {
    const scenarios = recording.scenarios({ env, h, token: await h.token('demo') });
    fs.mkdirSync(out, { recursive: true });
    for (const [name, run] of Object.entries(scenarios)) {
      const handle = await run();
      await recording.settle?.(handle);
      const file = path.join(out, `${name}.json`);
      fs.writeFileSync(file, historyToJSON(await handle.fetchHistory()));
      console.log(`recorded ${path.relative(process.cwd(), file)} (${(await handle.describe()).status.name})`);
    }
  } finally {
    await h.stop();
    await db.drop();
    await env.teardown();
  }
}

/** The scripts' entry point: records, and exits non-zero on any failure. */
export function runRecording(recording: Recording): void {
  recordScenarios(recording).catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
