import type { AbstractSqlConnection } from '@mikro-orm/libsql';
import type { Orm } from '../orm';

/**
 * An offer inquiry's number, SP-nnnnnn from the number sequence (seed 002: the
 * "incident number in CRM" a client quotes). Idempotent per inquiry: the first call
 * allocates, every later one (a retried POST, the workflow's own activity) reads the
 * same number, so the API may take it before the workflow starts and the workflow
 * still gets that one.
 */
export async function allocateInquiryNumber(orm: Orm, inquiryId: string): Promise<string> {
  const conn = orm.em.getConnection() as AbstractSqlConnection;
  const inserted = await conn.execute<{ number: number | string }[]>(
    'insert into fibre_inquiry_numbers (inquiry_id) values (?) on conflict (inquiry_id) do nothing returning number',
    [inquiryId],
    'all',
  );
  const rows = inserted.length
    ? inserted
    : await conn.execute<{ number: number | string }[]>('select number from fibre_inquiry_numbers where inquiry_id = ?', [inquiryId], 'all');
  return `SP-${Number(rows[0]!.number)}`;
}
