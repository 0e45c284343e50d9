import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Config, parsePayloadKeys, PayloadKeys } from '../config';

/** Where the embedded default keeps its generated key: beside the Temporal state it protects. */
export function devKeyFile(dataDir: string): string {
  return path.join(dataDir, 'payload-encryption.key');
}

/**
 * The keys to encrypt and decrypt with: the configured ones, or (embedded default only;
 * production refuses to start without configured keys) one generated on first use and
 * kept in `DATA_DIR`, so the dev server's histories stay readable across restarts.
 */
export function payloadKeysFor(config: Config): PayloadKeys {
  return config.payloadKeys ?? ensureDevKey(config.dataDir);
}

/**
 * Reads the dev key, creating it first if need be. API and worker start at the same time
 * and both may find it missing: the file is written under a temporary name and linked into
 * place, which fails for the loser, who then reads the winner's key. Mode 0600: anyone who
 * can read it can read every payload.
 */
export function ensureDevKey(dataDir: string): PayloadKeys {
  const file = devKeyFile(dataDir);
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dataDir, { recursive: true });
    const id = `dev-${randomBytes(4).toString('hex')}`;
    const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
    fs.writeFileSync(temp, `${id}:${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    try {
      fs.linkSync(temp, file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    } finally {
      fs.unlinkSync(temp);
    }
  }
  try {
    // The file holds one entry in the PAYLOAD_ENCRYPTION_KEYS format, so it can be moved there as is.
    return parsePayloadKeys(fs.readFileSync(file, 'utf8').trim(), undefined);
  } catch (err) {
    throw new Error(`${file}: ${(err as Error).message}`);
  }
}
