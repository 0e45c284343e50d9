import { execFile } from 'node:child_process';
import { resolveTemporalBinary } from '../../src/temporal/binaries';

/** The `temporal` CLI binary as operators run it; resolves with stdout, rejects with stderr. */
export function temporalCli(args: string[]): Promise<string> {
  const binary = resolveTemporalBinary('cli');
  if (!binary) throw new Error('no Temporal CLI binary (TEMPORAL_CLI_PATH, PATH or .tools)');
  return new Promise((resolve, reject) => {
    execFile(binary, args, { maxBuffer: 64 * 1024 * 1024, timeout: 60_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`temporal ${args.join(' ')} failed: ${stderr || err.message}`));
      else resolve(stdout);
    });
  });
}
