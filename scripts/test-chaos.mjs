import { execSync } from 'node:child_process';
import { ensureDependencies } from './ensureDependencies.mjs';

// `npm run test:chaos`: the durability proofs of test/chaos (kill -9 the worker, restart
// the Temporal dev server, under load). Slow, so apart from `npm test`; CI runs both.
ensureDependencies();
const run = (cmd, env = {}) => execSync(cmd, { stdio: 'inherit', env: { ...process.env, ...env } });
try {
  run('node --import tsx scripts/prepare-tools.ts');
  // One proof at a time: each loads the machine with 1000 orders on its own.
  run(`npx jest --runInBand test/chaos ${process.argv.slice(2).join(' ')}`, { TEST_CHAOS: '1' });
} catch (err) {
  process.exit(typeof err.status === 'number' ? err.status : 1);
}
