import fs from 'node:fs';
import type { Config } from '../config';
import { loadDemoData } from '../db/demoData';
import { migrate, openOrm } from '../db/orm';
import { appDatabaseUrl } from './appDatabaseUrl';
import { resolveTemporalBinary } from '../temporal/binaries';

/**
 * The set-up `npm start` and `npm test` share: database migrated (and demo data loaded),
 * as the owner; returns the URL the API and worker connect with (src/dev/appDatabaseUrl.ts).
 * `createRole`: `npm start`, which may create the application role itself.
 */
export async function prepareDatabase(config: Config, log: (line: string) => void, opts: { createRole: boolean } = { createRole: false }): Promise<string> {
  fs.mkdirSync(config.dataDir, { recursive: true });
  const orm = await openOrm(config.databaseOwnerUrl ?? config.databaseUrl);
  try {
    const applied = await migrate(orm);
    log(applied.length ? `migrations applied: ${applied.join(', ')}` : 'database schema is current');
    if (config.loadDemoData) {
      const loaded = await loadDemoData(orm);
      log(`demo data loaded: ${loaded.accessPoints} access points, ${loaded.offerings} catalogue offerings`);
    }
    return await appDatabaseUrl(orm, config, log, opts);
  } finally {
    await orm.close();
  }
}

export function prepareTemporalBinaries(log: (line: string) => void): { cli?: string; testServer?: string } {
  return { cli: resolveTemporalBinary('cli', log), testServer: resolveTemporalBinary('testServer', log) };
}
