import type { Client } from '@temporalio/client';
import type { Config } from '../config';
import type { Orm } from '../db/orm';

/** A wrong command line: the dispatcher prints the usage and exits 2. */
export class UsageError extends Error {}

export interface ParsedArgs {
  positional: string[];
  options: Map<string, string>;
  flags: Set<string>;
}

/**
 * Connections are opened on first use, so `--help`-like mistakes and listings
 * that need only the database do not wait for Temporal.
 */
export interface OpsContext {
  config: Config;
  orm(): Promise<Orm>;
  client(): Promise<Client>;
}

export interface OpsCommand {
  name: string;
  /** One line of the usage text: the command with its arguments, then what it does. */
  usage: string;
  /** Options that take a value (`--message m`). */
  valueOptions?: string[];
  /** Options that stand alone (`--success`). */
  flags?: string[];
  /** Resolves to the exit code: 0 when every id was acted on, 1 when some were skipped. */
  run(args: ParsedArgs, ctx: OpsContext): Promise<number>;
}

export function parseArgs(command: OpsCommand, argv: string[]): ParsedArgs {
  const parsed: ParsedArgs = { positional: [], options: new Map(), flags: new Set() };
  for (let i = 0; i < argv.length; i += 1) {
    const token = argv[i]!;
    if (!token.startsWith('--')) parsed.positional.push(token);
    else if (command.flags?.includes(token)) parsed.flags.add(token);
    else if (command.valueOptions?.includes(token)) {
      const value = argv[i + 1];
      if (value === undefined || value.startsWith('--')) throw new UsageError(`${command.name}: ${token} needs a value`);
      parsed.options.set(token, value);
      i += 1;
    } else throw new UsageError(`${command.name}: unknown option ${token}`);
  }
  return parsed;
}

/** The ids a bulk action works on; none is a mistake worth saying so. */
export function requireIds(args: ParsedArgs): string[] {
  if (args.positional.length === 0) throw new Error('no order ids given');
  return args.positional;
}

/**
 * Signals cannot answer, so before sending one the command looks at the read model
 * and skips (with the reason on stderr) what the workflow would only log and ignore.
 */
export async function forEachId(ids: string[], act: (id: string) => Promise<string | undefined>): Promise<number> {
  let skipped = 0;
  for (const id of ids) {
    const refusal = await act(id);
    if (refusal) {
      skipped += 1;
      console.error(`skipped ${id}: ${refusal}`);
    }
  }
  return skipped === 0 ? 0 : 1;
}
