// Plain Node: compiles the TypeScript the processes run to CommonJS JavaScript in dist/.
//
//   node scripts/build.mjs             always build (`npm run build`; the Docker image)
//   node scripts/build.mjs --if-stale  only when dist/ is missing or older than its sources (`npm start`)
//
// swc transpiles file by file (~0.5 s for the whole tree; tsc took ~19 s on the same
// machine); the type check stays `tsc --noEmit` in `npm test`, which also proves the
// per-file transpile safe (tsconfig.json sets isolatedModules). jest transpiles
// the tests with the same swc options (jest.config.js). The workflow bundle is not built
// here: the Temporal bundler compiles src/workflows itself (scripts/build-workflow-bundle.ts).
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUT = path.join(root, 'dist');
/** Written last: a build that stopped halfway leaves none, so the next start builds again. */
const STAMP = path.join(OUT, '.build-stamp');
/** What is compiled: src/ whole, and the scripts a running installation needs. */
const SOURCE_DIRS = ['src'];
const SOURCE_FILES = ['scripts/migrate.ts', 'scripts/build-workflow-bundle.ts'];
/** Besides the sources, whatever changes their output: this file and the lockfile (the swc version). */
const INPUTS = [fileURLToPath(import.meta.url), path.join(root, 'package-lock.json')];
const SWC_OPTIONS = {
  jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
  module: { type: 'commonjs' },
  sourceMaps: false,
  swcrc: false,
};

/** Every file and folder under the source folders (a folder's mtime changes when a file is added, removed or renamed). */
function sourceEntries() {
  const entries = [];
  for (const dir of SOURCE_DIRS) {
    entries.push(dir);
    for (const rel of fs.readdirSync(path.join(root, dir), { recursive: true })) entries.push(path.join(dir, rel));
  }
  return [...entries, ...SOURCE_FILES];
}

/** dist/ is missing or a source (file or folder), this script or the lockfile changed after the last build. */
export function isStale() {
  if (!fs.existsSync(STAMP)) return true;
  const built = fs.statSync(STAMP).mtimeMs;
  return [...sourceEntries().map((rel) => path.join(root, rel)), ...INPUTS].some((file) => fs.statSync(file).mtimeMs > built);
}

/** Compiles every .ts source to dist/<same path>.js and copies the other files (src/db/fibre/fibrePoints.json), so `__dirname` means the same in dist/. */
export async function build() {
  const started = Date.now();
  // @swc/core is installed (a dependency of @temporalio/worker, which bundles with it); resolved from the project.
  const swc = createRequire(path.join(root, 'package.json'))('@swc/core');
  fs.rmSync(STAMP, { force: true });
  // Whole folders, so an output whose source is gone does not linger.
  for (const dir of [...SOURCE_DIRS, 'scripts']) fs.rmSync(path.join(OUT, dir), { recursive: true, force: true });
  const files = sourceEntries().filter((rel) => fs.statSync(path.join(root, rel)).isFile());
  await Promise.all(
    files.map(async (rel) => {
      const from = path.join(root, rel);
      const to = path.join(OUT, rel.endsWith('.ts') ? rel.replace(/\.ts$/, '.js') : rel);
      fs.mkdirSync(path.dirname(to), { recursive: true });
      if (rel.endsWith('.ts')) fs.writeFileSync(to, (await swc.transformFile(from, SWC_OPTIONS)).code);
      else fs.copyFileSync(from, to);
    }),
  );
  fs.writeFileSync(STAMP, `${new Date().toISOString()}\n`);
  return { files: files.length, ms: Date.now() - started };
}

/** Builds when stale; says so on stderr (`npm run ops` prints its answers on stdout) in `npm start`'s format. */
export async function buildIfStale() {
  if (!isStale()) return;
  const { files, ms } = await build();
  process.stderr.write(`${'[build]'.padEnd(11)}compiled ${files} files to dist/ in ${(ms / 1000).toFixed(1)} s\n`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  (process.argv.includes('--if-stale') ? buildIfStale() : build().then(({ files, ms }) => console.log(`compiled ${files} files to dist/ in ${ms} ms`))).catch(
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
