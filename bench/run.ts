import { spawnSync } from 'node:child_process';
import path from 'node:path';

/**
 * `npm run bench [-- name …]`: every benchmark of issue 6, one after another, each in
 * its own process so one's servers and heap do not colour the next one's figures.
 * Each prints our path, its ceiling measured in the same run, and the ratio.
 */
const BENCHMARKS: Record<string, string> = {
  // one line per benchmark: name → file under bench/
  workerScale: 'workerScale.ts',
  feedAppends: 'feedAppends.ts',
  intake: 'intake.ts',
  coldStart: 'coldStart.ts',
  feedReads: 'feedReads.ts',
  esimBulk: 'esimBulk.ts',
};

const asked = process.argv.slice(2);
const unknown = asked.filter((name) => !(name in BENCHMARKS));
if (unknown.length > 0) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')}; known: ${Object.keys(BENCHMARKS).join(', ')}`);
  process.exit(2);
}
let failed = 0;
for (const name of asked.length > 0 ? asked : Object.keys(BENCHMARKS)) {
  console.log(`\n=== ${name} (bench/${BENCHMARKS[name]}) ===`);
  const { status } = spawnSync(process.execPath, ['--import', 'tsx', path.join(__dirname, BENCHMARKS[name]!)], { stdio: 'inherit' });
  if (status !== 0) {
    console.error(`${name} exited with ${status}`);
    failed += 1;
  }
}
process.exit(failed > 0 ? 1 : 0);
