import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { writeWorkflowBundle } from '../../src/worker/workflowBundle';

/**
 * Bundles the workflow code once for the whole run, as `npm start` and the image do:
 * every worker a test creates (createWorker, workflowCode(), and the worker processes
 * tests spawn, which inherit the variable) loads it instead of running webpack again.
 */
export default async function globalSetup(): Promise<void> {
  // dist/ as `npm run ops` and `npm start` build it, once, before any test runs what is in it
  // (the ops CLI test, compiledBuild): two test files building it at once could read half a file.
  execFileSync(process.execPath, ['scripts/build.mjs', '--if-stale'], { cwd: path.resolve(__dirname, '..', '..'), stdio: 'inherit' });
  if (process.env.WORKFLOW_BUNDLE_PATH) return;
  const file = path.join(os.tmpdir(), `ordering-test-workflow-bundle-${process.pid}.js`);
  process.env.WORKFLOW_BUNDLE_PATH = await writeWorkflowBundle(file);
  // Ours to remove when the run ends (globalTeardown.ts); a path given from outside is not.
  process.env.TEST_OWNS_WORKFLOW_BUNDLE = file;
}
