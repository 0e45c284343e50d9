import fs from 'node:fs';

/** Removes the workflow bundle globalSetup.ts built for this run. */
export default function globalTeardown(): void {
  const file = process.env.TEST_OWNS_WORKFLOW_BUNDLE;
  if (file) fs.rmSync(file, { force: true });
}
