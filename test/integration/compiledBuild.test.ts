import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');

/**
 * `npm start` and the image run the code compiled to dist/ (scripts/build.mjs) with plain node;
 * the rest of the suite runs the sources. This proves that the compiled form finds what lies
 * outside src/ as the sources do, and starts its processes without a TypeScript loader.
 */
describe('the compiled form (dist/)', () => {
  beforeAll(() => {
    execFileSync(process.execPath, ['scripts/build.mjs', '--if-stale'], { cwd: ROOT, stdio: 'inherit' });
  });

  it('resolves the project root, the demo clients, the fibre points and the workflow sources, and spawns .js with no loader', () => {
    const script = `
      const dist = (f) => require(require('node:path').join(${JSON.stringify(ROOT)}, 'dist', 'src', f));
      const { RUNNING_FORM, PROJECT_ROOT, nodeEntryArgs } = dist('projectFiles.js');
      console.log(JSON.stringify({
        form: RUNNING_FORM,
        root: PROJECT_ROOT,
        clientsFile: dist('config.js').loadConfig({}).clientsFile,
        fibrePoints: dist('db/fibre/demoData.js').readDemoFibrePoints().length,
        workflows: dist('worker/workflowBundle.js').WORKFLOWS_SOURCE,
        api: nodeEntryArgs('src/api/server'),
        worker: dist('worker/launch.js').workerLaunch({}).args,
        sourceWorker: dist('worker/launch.js').workerLaunch({}, 'source').args,
      }));`;
    const seen = JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: '/', encoding: 'utf8', env: { ...process.env, NODE_ENV: 'development' } }));
    expect(seen).toMatchObject({ form: 'compiled', root: ROOT, clientsFile: path.join(ROOT, 'config', 'demo-clients.json') });
    expect(seen.fibrePoints).toBeGreaterThan(0);
    expect(fs.existsSync(seen.clientsFile)).toBe(true);
    expect(seen.workflows).toBe(path.join(ROOT, 'src', 'workflows', 'index.ts'));
    expect(seen.api).toEqual([path.join(ROOT, 'dist', 'src', 'api', 'server.js')]);
    expect(seen.worker).toEqual(['--max-semi-space-size=2', '--max-old-space-size=192', path.join(ROOT, 'dist', 'src', 'worker', 'main.js')]);
    expect(seen.sourceWorker.slice(-3)).toEqual(['--require', 'tsx/cjs', path.join(ROOT, 'src', 'worker', 'main.ts')]);
    for (const file of [...seen.api, seen.worker.at(-1), path.join(ROOT, 'dist', 'scripts', 'migrate.js'), path.join(ROOT, 'dist', 'scripts', 'build-workflow-bundle.js')]) {
      expect(fs.existsSync(file)).toBe(true);
    }
  });
});
