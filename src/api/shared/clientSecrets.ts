import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/**
 * Client secrets as the clients file keeps them: `secretHash`, scrypt with its parameters
 * written beside the salt (`scrypt$N$r$p$salt$hash`, base64), so that they can be raised
 * later without invalidating what was hashed before. A clear `secret` is still read outside
 * production (the demo clients of the README); NODE_ENV=production refuses it (auth.ts).
 *
 * New hashes use one of OWASP's scrypt settings, N=2^14, r=8, p=5: 16 MiB and about a
 * tenth of a second per check, paid once per token (an hour by default), off the event loop.
 */
const NEW_HASH = { N: 2 ** 14, r: 8, p: 5 };
const KEY_BYTES = 32;
const SALT_BYTES = 16;
const FORMAT = /^scrypt\$(\d+)\$(\d+)\$(\d+)\$([A-Za-z0-9+/]+={0,2})\$([A-Za-z0-9+/]+={0,2})$/;

interface ScryptHash {
  N: number;
  r: number;
  p: number;
  salt: Buffer;
  hash: Buffer;
}

/** Why `value` is not a secret hash this code can check, or undefined when it is. */
export function secretHashProblem(value: string): string | undefined {
  const m = FORMAT.exec(value);
  if (!m) return 'must be scrypt$N$r$p$salt$hash (npm run ops -- hash-secret makes one)';
  const [N, r, p] = [Number(m[1]), Number(m[2]), Number(m[3])];
  // Bounds keep a typo in the file from costing seconds (or gigabytes) per token.
  if (N < 2 ** 10 || N > 2 ** 20 || (N & (N - 1)) !== 0) return `N must be a power of two from 2^10 to 2^20, not ${N}`;
  if (r < 1 || r > 32 || p < 1 || p > 16) return `r must be 1-32 and p 1-16, not r=${r} p=${p}`;
  if (Buffer.from(m[5]!, 'base64').length < 16) return 'the hash must be at least 16 bytes';
  return undefined;
}

function parse(value: string): ScryptHash {
  const m = FORMAT.exec(value)!;
  return { N: Number(m[1]), r: Number(m[2]), p: Number(m[3]), salt: Buffer.from(m[4]!, 'base64'), hash: Buffer.from(m[5]!, 'base64') };
}

function derive(secret: string, { N, r, p, salt }: Omit<ScryptHash, 'hash'>, bytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(secret, salt, bytes, { N, r, p, maxmem: 256 * N * r + 1024 * 1024 }, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

export async function hashClientSecret(secret: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const hash = await derive(secret, { ...NEW_HASH, salt }, KEY_BYTES);
  return `scrypt$${NEW_HASH.N}$${NEW_HASH.r}$${NEW_HASH.p}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Checked against an unknown client's name too, so that the answer's timing does not tell which client ids exist. */
const NO_CLIENT = `scrypt$${NEW_HASH.N}$${NEW_HASH.r}$${NEW_HASH.p}$${Buffer.alloc(SALT_BYTES).toString('base64')}$${Buffer.alloc(KEY_BYTES).toString('base64')}`;

/** Constant-time comparison of `secret` with what the file keeps: a hash (scrypt) or, outside production, the clear secret. */
export async function secretMatches(secret: string, stored: { secret?: string; secretHash?: string } | undefined): Promise<boolean> {
  if (stored?.secretHash === undefined && stored?.secret !== undefined) return timingSafeEqual(digest(secret), digest(stored.secret));
  const expected = parse(stored?.secretHash ?? NO_CLIENT);
  const actual = await derive(secret, expected, expected.hash.length);
  return timingSafeEqual(actual, expected.hash) && stored !== undefined;
}
