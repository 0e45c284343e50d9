import { execFile } from 'node:child_process';
import path from 'node:path';
import { TEST_PAYLOAD_KEYS } from './payloadKeys';

const ROOT = path.resolve(__dirname, '../..');
const CLI_TIMEOUT_MS = 60_000;

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The ops CLI as operators run it (`npm run ops`: the compiled dist/src/ops/cli.js, built by
 * the test run's global setup): its own process, configured only by environment variables.
 */
export function runOpsCli(stack: { env: { address: string }; db: { url: string } }, ...args: string[]): Promise<CliRun> {
  return new Promise((resolve) => {
    const env = {
      ...process.env,
      // The worker's key: a signal the CLI encrypts with another would fail every workflow task.
      ...TEST_PAYLOAD_KEYS,
      TEMPORAL_ADDRESS: stack.env.address,
      TEMPORAL_NAMESPACE: 'default',
      TEMPORAL_TASK_QUEUE: 'irrelevant-for-signals',
      DATABASE_URL: stack.db.url,
      OPS_OPERATOR: 'alice@ops',
    };
    execFile(process.execPath, ['dist/src/ops/cli.js', ...args], { cwd: ROOT, env, timeout: CLI_TIMEOUT_MS }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : null) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}
