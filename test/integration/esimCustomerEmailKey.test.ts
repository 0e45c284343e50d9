import { EsimCustomerSchema } from '../../src/db/entities';
import { openOrm } from '../../src/db/orm';
import { DATABASE_KINDS, freshDatabase, TestDatabase } from '../support/databases';

const BEFORE = 'Migration20261202000000_esimBulkActivations';

describe.each(DATABASE_KINDS)('the e-mail key of eSIM customers (issue 16) on %s', (kind) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await freshDatabase(kind, async (url) => {
      const orm = await openOrm(url);
      await orm.getMigrator().up({ to: BEFORE });
      return orm;
    });
  });
  afterAll(() => db.drop());

  it('keys existing customers by the e-mail rule; of two that differ only in case the first created keeps the address, and nothing is deleted', async () => {
    const conn = db.orm.em.getConnection();
    const insert = (tenant: string, email: string, createdAt: string) =>
      conn.execute(
        'insert into esim_customers (tenant_id, email, first_name, language, currencies, created_at) values (?, ?, ?, ?, ?, ?)',
        [tenant, email, email, 'EN', 'EUR', new Date(createdAt)],
      );
    await insert('t1', 'Later@Example.com', '2026-02-02T00:00:00Z');
    await insert('t1', 'later@example.com', '2026-02-01T00:00:00Z');
    await insert('t2', 'LATER@example.com', '2026-02-03T00:00:00Z');
    await insert('t1', ' ÉMILE@Example.com', '2026-02-01T00:00:00Z');
    await db.orm.getMigrator().up();

    const rows = await db.orm.em.fork().find(EsimCustomerSchema, {}, { orderBy: { tenantId: 'asc', createdAt: 'asc', email: 'asc' } });
    expect(rows.map((r) => [r.tenantId, r.email, r.emailKey])).toEqual([
      ['t1', ' ÉMILE@Example.com', 'émile@example.com'],
      ['t1', 'later@example.com', 'later@example.com'],
      ['t1', 'Later@Example.com', null],
      ['t2', 'LATER@example.com', 'later@example.com'],
    ]);
    // One customer per key and tenant from now on.
    await expect(insert('t1', 'LATER@EXAMPLE.COM', '2026-03-01T00:00:00Z').then(() => conn.execute("update esim_customers set email_key = 'later@example.com' where email = 'LATER@EXAMPLE.COM'"))).rejects.toThrow();
  });
});
