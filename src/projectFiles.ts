import fs from 'node:fs';
import path from 'node:path';

/**
 * This code runs in one of two forms: `compiled` to JavaScript in dist/, run with plain node
 * (`npm start` after its build, the Docker image; scripts/build.mjs), or as its TypeScript
 * `source` (jest, tsx: the tests, bench/, some `npm run` scripts). Paths that leave src/ are
 * resolved here, so they mean the same in both forms.
 */
export type CodeForm = 'compiled' | 'source';

export const RUNNING_FORM: CodeForm = path.extname(__filename) === '.js' ? 'compiled' : 'source';

/** The project's root (package.json's folder): config/, .tools/, src/ as TypeScript. */
export const PROJECT_ROOT = findUp(path.resolve(__dirname, '..'), 'package.json');

/** Where the compiled src/ and scripts/ are: dist/ (this file is dist/src/projectFiles.js when compiled). */
const COMPILED_ROOT = RUNNING_FORM === 'compiled' ? path.resolve(__dirname, '..') : path.join(PROJECT_ROOT, 'dist');

function findUp(from: string, file: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, file))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no ${file} in ${from} or above it`);
  }
}

/**
 * node's arguments that run one of our entry files (`src/worker/main`: from the project root,
 * no extension): compiled, the .js in dist/ with no loader; from source, the .ts through
 * `tsLoader` (tsx). By default in the form this process runs in.
 */
export function nodeEntryArgs(entry: string, tsLoader: string[] = ['--import', 'tsx'], form: CodeForm = RUNNING_FORM): string[] {
  if (form === 'compiled') return [path.join(COMPILED_ROOT, `${entry}.js`)];
  return [...tsLoader, path.join(PROJECT_ROOT, `${entry}.ts`)];
}
