import { Client, Connection } from '@temporalio/client';
import request from 'supertest';
import { DATABASE_KINDS, freshDatabase, TestDatabase } from '../support/databases';
import { apiApp } from '../support/api';
import { testConfig } from '../support/harness';

const LIMIT = 6;

/**
 * The rate limit counts per client, whatever token the client holds and whichever API
 * process answers: on PostgreSQL two API apps on one database share one budget
 * (rate_limit_windows); on the embedded libsql default one API counts in memory. Only the
 * database is real here: the requests read an order that does not exist (404), so nothing
 * reaches Temporal, whose connection stays unopened.
 */
describe.each(DATABASE_KINDS)('the rate limit on %s', (kind) => {
  let db: TestDatabase;
  let client: Client;
  beforeAll(async () => {
    db = await freshDatabase(kind);
    client = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) });
  });
  afterAll(async () => {
    await db?.drop();
  });

  it(kind === 'postgresql' ? 'is one budget per client across two API processes and new tokens' : 'is one budget per client across new tokens', async () => {
    const make = () => apiApp({ config: testConfig(), client, orm: db.orm, taskQueue: 'unused', rateLimitPerMinute: LIMIT });
    const apps = kind === 'postgresql' ? [make(), make()] : [make()];
    const token = async (id: string) => (await request(apps.at(-1)!).get('/api/1.0/auth').auth(id, `${id}-secret`)).body.accessToken as string;
    const read = (i: number, bearer: string) => request(apps[i % apps.length]!).get('/2.5/sp_spec/sales_leads/no-such-lead').set('Authorization', `Bearer ${bearer}`);

    const first = await token('demo');
    for (let i = 0; i < LIMIT / 2; i++) expect((await read(i, first)).status).toBe(404);
    // A token issued a second later is another token, for the same client.
    await new Promise((r) => setTimeout(r, 1100));
    const second = await token('demo');
    expect(second).not.toBe(first);
    for (let i = 0; i < LIMIT / 2; i++) expect((await read(i, second)).status).toBe(404);
    const refused = await read(0, second);
    expect(refused.status).toBe(429);
    expect(refused.body.cause).toMatch(/^Too many requests; retry after \d+ seconds$/);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect((await read(1, first)).status).toBe(429);
    // Another client has its own budget.
    expect((await read(1, await token('other'))).status).toBe(404);
    if (kind === 'postgresql') {
      const rows = await db.orm.em.getConnection().execute<{ key: string; hits: number }[]>("select key, hits from rate_limit_windows where key like 'client:%' order by key");
      expect(rows.map((r: { key: string; hits: number }) => [r.key, Number(r.hits)])).toEqual([['client:demo', LIMIT + 2], ['client:other', 1]]);
    }

    // Credentials on the token exchange count for the address: guessing a secret is bounded,
    // and naming a client in a header spends nothing of that client's budget.
    const attempts: number[] = [];
    for (let i = 0; i < LIMIT; i++) attempts.push((await request(apps[i % apps.length]!).get('/api/1.0/auth').auth('demo', `guess-${i}`)).status);
    expect(attempts.filter((s) => s === 401).length).toBeLessThan(LIMIT);
    expect(attempts.slice(-1)).toEqual([429]);
    expect((await request(apps[0]!).get('/api/1.0/auth').auth('demo', 'demo-secret')).status).toBe(429);
  });
});
