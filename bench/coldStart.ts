import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import readline from 'node:readline';
import { freePort } from '../test/support/freePort';

/**
 * Benchmark 5 (issue 6): `npm start` to ready, on a fresh clone (npm install, the
 * Temporal CLI fetched into .tools, migrations, demo data, workflow bundle) and again
 * on the same clone and DATA_DIR (warm: everything installed, database migrated).
 * For each start it prints, from the moment `npm start` is spawned:
 *   - the supervisor's own "ready in X s" (its clock starts after npm install and tsx);
 *   - when that line appeared and when /readyz first answered 200 (API, Temporal, database);
 *   - when the worker said "worker started" (workflows bundled, polling);
 *   - when the first sales lead POST was answered: the stack takes orders end to end.
 * There is no ceiling to run beside it; warm/cold is the ratio printed.
 * The clone is of HEAD (commit first); its own ports are free ones, so nothing collides.
 * BENCH_COLD_KEEP_CLI=1 passes TEMPORAL_CLI_PATH through instead of letting the clone fetch the CLI.
 */
const ROOT = path.resolve(__dirname, '..');
const TIMEOUT_MS = Number(process.env.BENCH_COLD_TIMEOUT_MS ?? 300_000);

interface Start {
  label: string;
  supervisorSays?: number;
  readyLine?: number;
  readyz?: number;
  workerStarted?: number;
  firstOrder?: number;
}


/** Every process still running whose command line names `dir`: what a start in that clone left behind. */
function processesUnder(dir: string): number[] {
  const pids: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      const cwd = fs.readlinkSync(`/proc/${entry}/cwd`);
      if (cmdline.includes(dir) || cwd.startsWith(dir)) pids.push(Number(entry));
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return pids;
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // the group is gone
  }
}

const seconds = (ms: number | undefined) => (ms === undefined ? '   —  ' : `${(ms / 1000).toFixed(1).padStart(5)} s`);

async function token(baseUrl: string): Promise<string> {
  const res = await fetch(`${baseUrl}/api/1.0/auth`, { headers: { authorization: `Basic ${Buffer.from('demo:demo-secret').toString('base64')}` } });
  return ((await res.json()) as { accessToken: string }).accessToken;
}

/** A valid lead (the README's example) with its own key: answered once a worker has assessed it. */
function leadBody(): string {
  const lead = JSON.parse(fs.readFileSync(path.join(ROOT, 'examples', 'sales-lead.json'), 'utf8')) as Record<string, unknown>;
  return JSON.stringify(lead);
}

/** `npm start` in `cwd` until it takes an order, then Ctrl-C (SIGINT to its process group) and wait for it to end. */
async function timeStart(label: string, cwd: string, env: NodeJS.ProcessEnv, port: number, logFile: string): Promise<Start> {
  const result: Start = { label };
  const log = fs.createWriteStream(logFile);
  const t0 = performance.now();
  const since = () => performance.now() - t0;
  // Own process group, as a terminal gives it: SIGINT reaches npm, start.mjs and the supervisor.
  const proc: ChildProcess = spawn('npm', ['start'], { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  for (const stream of [proc.stdout!, proc.stderr!]) {
    readline.createInterface({ input: stream }).on('line', (line) => {
      log.write(`${line}\n`);
      const ready = /\[start\]\s+ready in ([\d.]+) s/.exec(line);
      if (ready) {
        result.readyLine = since();
        result.supervisorSays = Number(ready[1]) * 1000;
      }
      if (result.workerStarted === undefined && line.startsWith('[worker]') && line.includes('worker started')) result.workerStarted = since();
    });
  }
  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    const deadline = Date.now() + TIMEOUT_MS;
    let bearer: string | undefined;
    while (Date.now() < deadline && result.firstOrder === undefined && proc.exitCode === null) {
      try {
        if (result.readyz === undefined) {
          // Readiness is on the ops listener (src/api/ops/app.ts).
          if ((await fetch(`http://127.0.0.1:${env.OPS_PORT}/readyz`, { signal: AbortSignal.timeout(2000) })).ok) result.readyz = since();
        } else {
          bearer ??= await token(baseUrl);
          const res = await fetch(`${baseUrl}/2.5/sp_spec/sales_leads/`, {
            method: 'POST',
            headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json', 'idempotency-key': `cold-start-${label}-${Date.now()}` },
            body: leadBody(),
            signal: AbortSignal.timeout(15_000),
          });
          const answer = (await res.json()) as { status?: string; message?: string };
          // RECEIVED "being assessed" means no worker answered yet; a decision means one did.
          if (res.ok && !/being assessed/.test(answer.message ?? '')) result.firstOrder = since();
        }
      } catch {
        // not listening yet
      }
      if (result.firstOrder === undefined) await new Promise((r) => setTimeout(r, 200));
    }
    if (result.firstOrder === undefined) console.error(`  ${label}: no order answered within ${TIMEOUT_MS} ms (exit ${proc.exitCode}); see ${logFile}`);
  } finally {
    killGroup(proc.pid!, 'SIGINT');
    const stopped = await Promise.race([exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 30_000))]);
    if (!stopped) {
      console.error(`  ${label}: npm start did not stop within 30 s of SIGINT; killing it`);
      killGroup(proc.pid!, 'SIGKILL');
      await exited;
    }
    log.end();
  }
  return result;
}

async function main(): Promise<void> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-cold-start-'));
  const clone = path.join(tmp, 'repo');
  try {
    const [port, temporalPort, uiPort, opsPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      TEMPORAL_DEV_PORT: String(temporalPort),
      TEMPORAL_UI_PORT: String(uiPort),
      OPS_PORT: String(opsPort),
      DATA_DIR: path.join(tmp, 'data'),
    };
    delete env.TEMPORAL_ADDRESS;
    delete env.DATABASE_URL;
    if (!process.env.BENCH_COLD_KEEP_CLI) delete env.TEMPORAL_CLI_PATH;
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    execFileSync('git', ['clone', '--quiet', ROOT, clone]);
    console.log(`cold start: fresh clone of ${head} in ${clone}; API :${port}, Temporal :${temporalPort}, UI :${uiPort}; Temporal CLI ${env.TEMPORAL_CLI_PATH ? `from ${env.TEMPORAL_CLI_PATH}` : 'fetched by the clone'}; load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    const cold = await timeStart('cold', clone, env, port, path.join(tmp, 'cold.log'));
    const warm = await timeStart('warm', clone, env, port, path.join(tmp, 'warm.log'));
    console.log('                       supervisor   "ready" line   /readyz   worker started   first order answered');
    for (const s of [cold, warm]) {
      console.log(`  ${s.label.padEnd(20)} ${seconds(s.supervisorSays)}      ${seconds(s.readyLine)}     ${seconds(s.readyz)}     ${seconds(s.workerStarted)}        ${seconds(s.firstOrder)}`);
    }
    if (cold.readyz && warm.readyz) console.log(`  warm/cold to /readyz ${(warm.readyz / cold.readyz).toFixed(2)}; logs ${tmp}/{cold,warm}.log`);
    console.log(`  load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  } finally {
    const left = processesUnder(tmp);
    if (left.length > 0) {
      console.error(`  killing ${left.length} process(es) left in ${tmp}: ${left.join(' ')}`);
      for (const pid of left) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
    if (!process.env.BENCH_COLD_KEEP_CLONE) fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
