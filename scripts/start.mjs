import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildIfStale } from './build.mjs';
import { ensureDependencies } from './ensureDependencies.mjs';

ensureDependencies();
// Compiles src/ to dist/ when dist/ is missing or older than the sources (scripts/build.mjs),
// then runs the compiled supervisor with plain node; it starts the worker and API the same way.
await buildIfStale();
const supervisor = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'src', 'dev', 'start.js');
// Signals reach the supervisor directly (same process group); this wrapper just waits for it.
const child = spawn(process.execPath, [supervisor], { stdio: 'inherit' });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => {});
child.on('exit', (code) => process.exit(code ?? 0));
