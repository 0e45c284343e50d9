import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { resolveTemporalBinary } from '../../src/temporal/binaries';
import { devServerArgs, waitForTemporal } from '../../src/temporal/devServer';
import { workerLaunch } from '../../src/worker/launch';
import { freePort } from '../support/freePort';

const ROOT = path.resolve(__dirname, '..', '..');

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Each child runs in a process group of its own (`detached`), so one signal to the
 * group reaches everything it started and nothing else on the machine.
 */
function spawnGroup(command: string, args: string[], env: NodeJS.ProcessEnv, logFile: string): ChildProcess {
  const out = fs.openSync(logFile, 'a');
  const child = spawn(command, args, { cwd: ROOT, env, detached: true, stdio: ['ignore', 'pipe', out] });
  fs.closeSync(out);
  return child;
}

function signalGroup(child: ChildProcess | undefined, signal: NodeJS.Signals): void {
  if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is already gone.
  }
}

function exited(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/** SIGTERM, then SIGKILL if the group has not gone within `graceMs`. */
async function stopGroup(child: ChildProcess | undefined, graceMs: number): Promise<void> {
  if (!child) return;
  signalGroup(child, 'SIGTERM');
  if (await exited(child, graceMs)) return;
  signalGroup(child, 'SIGKILL');
  await exited(child, 10_000);
}

/**
 * The Temporal dev server as a child process persisted to one SQLite file, so it
 * can be stopped and started again on the same file and port in the middle of a load.
 */
export class DevServerProcess {
  readonly address: string;
  private child?: ChildProcess;
  restarts = 0;

  private constructor(private readonly binary: string, private readonly dbFile: string, private readonly port: number, private readonly uiPort: number, private readonly logFile: string) {
    this.address = `127.0.0.1:${port}`;
  }

  static async start(dir: string): Promise<DevServerProcess> {
    const binary = resolveTemporalBinary('cli');
    if (!binary) throw new Error('the chaos tests need the Temporal CLI binary (npm run test:chaos installs it; or set TEMPORAL_CLI_PATH)');
    const server = new DevServerProcess(binary, path.join(dir, 'temporal.db'), await freePort(), await freePort(), path.join(dir, 'temporal.log'));
    await server.up();
    return server;
  }

  private async up(): Promise<void> {
    const args = devServerArgs({ binary: this.binary, dbFile: this.dbFile, port: this.port, uiPort: this.uiPort, namespace: 'default' });
    this.child = spawnGroup(this.binary, args, process.env, this.logFile);
    this.child.stdout?.resume();
    await waitForTemporal(this.address, 60_000);
  }

  /** Graceful stop (SIGTERM), `downMs` with no server at all, then the same file on the same port. */
  async restart(downMs: number): Promise<void> {
    await stopGroup(this.child, 20_000);
    await sleep(downMs);
    await this.up();
    this.restarts += 1;
  }

  stop(): Promise<void> {
    return stopGroup(this.child, 10_000);
  }
}

/**
 * The worker as a real process (`src/worker/main.ts`, started as `npm start` starts it), supervised like a deployment
 * would: an exit nobody asked for is counted and the worker started again.
 */
export class WorkerProcess {
  private child?: ChildProcess;
  private stopping = false;
  private readyPromise: Promise<void> = Promise.resolve();
  kills = 0;
  unexpectedExits = 0;
  starts = 0;

  constructor(private readonly env: NodeJS.ProcessEnv, private readonly logFile: string) {}

  start(): Promise<void> {
    if (this.stopping) return Promise.resolve();
    // No metrics port: a killed worker's successor, or a developer's npm start, must not find it taken.
    const launch = workerLaunch({ WORKER_METRICS_ADDRESS: 'off', ...process.env, ...this.env });
    const child = spawnGroup(process.execPath, launch.args, launch.env, this.logFile);
    this.child = child;
    this.starts += 1;
    const log = fs.createWriteStream(this.logFile, { flags: 'a' });
    child.stdout!.pipe(log);
    // Ready once main.ts logs that the worker is created: it polls from then on.
    this.readyPromise = new Promise<void>((resolve, reject) => {
      let seen = '';
      const timer = setTimeout(() => reject(new Error(`worker not started within 60 s (see ${this.logFile})`)), 60_000);
      child.stdout!.on('data', (chunk: Buffer) => {
        if (seen === 'ready') return;
        seen = (seen + chunk.toString()).slice(-4096);
        if (seen.includes('"worker started"')) {
          seen = 'ready';
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', () => clearTimeout(timer));
    });
    // A restart nobody awaits (after an unexpected exit) must not become an unhandled rejection.
    this.readyPromise.catch(() => undefined);
    child.once('exit', () => {
      if (this.child !== child || this.stopping) return;
      this.unexpectedExits += 1;
      void this.start();
    });
    return this.readyPromise;
  }

  ready(): Promise<void> {
    return this.readyPromise;
  }

  /** kill -9 of the whole worker process group, then a fresh worker. */
  async killAndRestart(): Promise<void> {
    const child = this.child!;
    this.child = undefined;
    signalGroup(child, 'SIGKILL');
    if (!(await exited(child, 10_000))) throw new Error('the worker survived SIGKILL for 10 s');
    this.kills += 1;
    await this.start();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await stopGroup(this.child, 10_000);
  }
}
