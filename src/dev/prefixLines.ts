import type { Readable } from 'node:stream';
import readline from 'node:readline';

/** Copies a child's output to ours, each line prefixed with the process it came from. */
export function prefixLines(stream: Readable | null, name: string, out: NodeJS.WritableStream = process.stdout): void {
  if (!stream) return;
  const prefix = `[${name}]`.padEnd(11);
  readline.createInterface({ input: stream }).on('line', (line) => out.write(`${prefix}${line}\n`));
}
