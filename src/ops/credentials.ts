import { hashClientSecret } from '../api/shared/clientSecrets';
import type { OpsCommand } from './command';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * `hash-secret`: the clients file's `secretHash` for a client secret read from stdin (one
 * line; never an argument, which would stay in the shell's history and in `ps`). Needs no
 * configuration, Temporal or database.
 */
export const credentialCommands: OpsCommand[] = [
  {
    name: 'hash-secret',
    usage: "hash-secret                        the clients file's secretHash of a secret read from stdin",
    async run() {
      if (process.stdin.isTTY) process.stderr.write('client secret (then Enter and Ctrl-D): ');
      const secret = (await readStdin()).replace(/\r?\n$/, '');
      if (secret.length < 16) {
        console.error(`the secret is ${secret.length} characters: give at least 16 (openssl rand -base64 24)`);
        return 2;
      }
      console.log(await hashClientSecret(secret));
      return 0;
    },
  },
];
