import { freePort } from '../support/freePort';
import { openOrm, Orm, ping } from '../../src/db/orm';
import { isDatabaseUnavailable } from '../../src/db/unavailable';

/** The error a promise rejects with, so the classifier sees exactly what the driver threw. */
const rejectionOf = async (p: Promise<unknown>): Promise<unknown> => {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
};

describe('which database errors mean "unreachable, retry later" (503) rather than a bug (500)', () => {
  let libsql: Orm;
  beforeAll(async () => {
    libsql = await openOrm(':memory:');
    await libsql.em.getConnection().execute('create table t (id integer primary key)');
    await libsql.em.getConnection().execute('insert into t (id) values (1)');
  });
  afterAll(() => libsql?.close());

  it('counts a refused PostgreSQL connection as unreachable', async () => {
    // Nothing listens on a port just freed; the pool's connect is refused.
    const orm = await openOrm(`postgres://postgres@127.0.0.1:${await freePort()}/nowhere`);
    try {
      const err = await rejectionOf(ping(orm));
      expect(isDatabaseUnavailable(err)).toBe(true);
    } finally {
      await orm.close();
    }
  });

  it('counts neither a constraint violation nor a bad query as unreachable', async () => {
    const conn = libsql.em.getConnection();
    expect(isDatabaseUnavailable(await rejectionOf(conn.execute('insert into t (id) values (1)')))).toBe(false);
    expect(isDatabaseUnavailable(await rejectionOf(conn.execute('select nope from t')))).toBe(false);
    expect(isDatabaseUnavailable(new Error('something else'))).toBe(false);
    expect(isDatabaseUnavailable(undefined)).toBe(false);
  });

  it('finds the driver error under the wrappers around it', () => {
    const driver = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    expect(isDatabaseUnavailable(new Error('activity failed', { cause: new Error('query failed', { cause: driver }) }))).toBe(true);
  });
});
