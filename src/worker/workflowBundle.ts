import fs from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { FAILURE_CONVERTER_PATH } from '../temporal/dataConverter';
import { PROJECT_ROOT } from '../projectFiles';

/**
 * The workflow code as TypeScript, also when the worker runs compiled from dist/: the
 * Temporal bundler (webpack + swc) compiles it itself, so every bundle, the tests' included,
 * is made from the same source.
 */
export const WORKFLOWS_SOURCE = path.join(PROJECT_ROOT, 'src', 'workflows', 'index.ts');

/**
 * Production workers load a bundle built once (`npm start` before it starts the worker,
 * the image at build time) instead of running webpack on every start (faster start, less
 * resident memory, and the code that runs is the code that was tested). Tests bundle from source.
 */
export async function writeWorkflowBundle(outFile: string): Promise<string> {
  const { code } = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_SOURCE, failureConverterPath: FAILURE_CONVERTER_PATH });
  fs.mkdirSync(path.dirname(outFile), { recursive: true });
  fs.writeFileSync(outFile, code);
  return outFile;
}
