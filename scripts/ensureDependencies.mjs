// Plain Node, no dependencies: runs before node_modules exists.
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Installs npm dependencies when they are missing or older than the lockfile. */
export function ensureDependencies() {
  const lock = path.join(root, 'package-lock.json');
  const installed = path.join(root, 'node_modules', '.package-lock.json');
  const stale =
    !fs.existsSync(installed) || (fs.existsSync(lock) && fs.statSync(lock).mtimeMs > fs.statSync(installed).mtimeMs);
  if (!stale) return;
  // `npm install`, not `npm ci`: it installs the locked versions all the same, but
  // tolerates a registry mirror that lacks other platforms' optional binaries
  // (@swc/core-darwin-*, …), where `npm ci` refuses the lockfile as out of sync.
  const cmd = 'npm install --no-audit --no-fund';
  process.stdout.write(`[setup]    ${cmd}\n`);
  execSync(cmd, { cwd: root, stdio: 'inherit' });
}
