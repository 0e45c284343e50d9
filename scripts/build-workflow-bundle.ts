import path from 'node:path';
import { writeWorkflowBundle } from '../src/worker/workflowBundle';

// `npm run build:workflows` → dist/workflow-bundle.js; the worker uses it when WORKFLOW_BUNDLE_PATH names it.
const out = path.resolve(process.argv[2] ?? 'dist/workflow-bundle.js');
writeWorkflowBundle(out).then(
  (file) => console.log(`workflow bundle written to ${file}`),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
