import os from 'node:os';
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import { closedWorkflow } from '../temporal/closedWorkflow';
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

/** Acts on each id in turn; what was refused is skipped with the reason on stderr, and the exit code says so. */
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

/** Who acts, as the audit trail records it: OPS_OPERATOR, else the login and host running the CLI. */
export function operatorName(): string {
  return process.env.OPS_OPERATOR || `${os.userInfo().username}@${os.hostname()}`;
}

/**
 * Sends an ops action as an update and prints the workflow's answer: its validator
 * refuses bad input or the wrong state before anything reaches history, so the operator
 * reads the reason here. Resolves to that reason (for `forEachId`), or undefined when done.
 */
export async function actOn<R, A>(
  client: Client,
  action: { what: string; workflowId: string; update: UpdateDefinition<R, [A]>; input: A; printed(answer: R): string },
): Promise<string | undefined> {
  try {
    console.log(action.printed(await client.workflow.getHandle(action.workflowId).executeUpdate(action.update, { args: [action.input] })));
    return undefined;
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError) return (err.cause as Error | undefined)?.message ?? err.message;
    if (err instanceof WorkflowNotFoundError) return `no such ${action.what}`;
    if (closedWorkflow(err)) return 'its workflow has completed';
    throw err;
  }
}
