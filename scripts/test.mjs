import { execSync } from 'node:child_process';
import { ensureDependencies } from './ensureDependencies.mjs';

// `npm test`: the same set-up as `npm start` (dependencies, Temporal binaries), a
// type check and lint (workflow determinism), then every test against real servers and databases.
ensureDependencies();
const run = (cmd) => execSync(cmd, { stdio: 'inherit' });
try {
  run('node --import tsx scripts/prepare-tools.ts');
  run('npx tsc --noEmit -p .');
  run('npx eslint src test scripts');
  run(`npx jest ${process.argv.slice(2).join(' ')}`);
} catch (err) {
  process.exit(typeof err.status === 'number' ? err.status : 1);
}
