import { spawn } from 'node:child_process';
import { ensureDependencies } from './ensureDependencies.mjs';

ensureDependencies();
// Signals reach the supervisor directly (same process group); this wrapper just waits for it.
const child = spawn(process.execPath, ['--import', 'tsx', 'src/dev/start.ts'], { stdio: 'inherit' });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => {});
child.on('exit', (code) => process.exit(code ?? 0));
