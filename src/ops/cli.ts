import type { Client } from '@temporalio/client';
import { Config, loadConfig } from '../config';
import { openOrm, Orm } from '../db/orm';
import { connectClient } from '../temporal/connection';
import { OpsCommand, OpsContext, parseArgs, UsageError } from './command';
import { esimCommands } from './esimOrders';
import { fibreCommands } from './fibre';
import { historyCommands } from './history';
import { mefCommands } from './mefOrders';
import { mefHubCommands } from './mefHub';
import { credentialCommands } from './credentials';
import { salesLeadCommands } from './salesLeads';

/**
 * What the Temporal UI does not do well: list what waits for an operator and act on
 * many at once. Same client, contracts and configuration variables as the API; each
 * family's commands live in their own module.
 */
const COMMANDS: OpsCommand[] = [...salesLeadCommands, ...esimCommands, ...fibreCommands, ...mefCommands, ...mefHubCommands, ...historyCommands, ...credentialCommands];

const USAGE = `usage: npm run ops -- <command>\n${COMMANDS.map((c) => `  ${c.usage}`).join('\n')}`;

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    console.error(USAGE);
    return 2;
  }
  let args;
  try {
    args = parseArgs(command, rest);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    console.error(`${err.message}\n${USAGE}`);
    return 2;
  }
  // Read on first use, like the connections: hash-secret runs where no configuration is.
  let config: Config | undefined;
  let orm: Promise<Orm> | undefined;
  let client: Promise<Client> | undefined;
  const ctx: OpsContext = {
    get config() {
      return (config ??= loadConfig());
    },
    orm: () => (orm ??= openOrm(ctx.config.databaseUrl)),
    client: () => (client ??= connectClient(ctx.config)),
  };
  try {
    return await command.run(args, ctx);
  } finally {
    // A connection that failed to open has nothing to close; its error is already on its way out.
    await client?.then((c) => c.connection.close(), () => undefined);
    await orm?.then((o) => o.close(), () => undefined);
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    console.error((err as Error).message);
    process.exit(1);
  },
);
