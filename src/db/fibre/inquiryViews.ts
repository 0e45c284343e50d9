import { FibreInquiryRecordSchema } from '../entities';
import type { Orm } from '../orm';
import type { InquiryView } from '../../domain/fibre/inquiry';

/** A client's inquiry as its read model holds it; another tenant's is absent like a missing one. */
export async function inquiryViewOf(orm: Orm, inquiryId: string, tenantId: string): Promise<InquiryView | undefined> {
  const row = await orm.em.fork().findOne(FibreInquiryRecordSchema, { inquiryId, tenantId });
  return row ? (JSON.parse(row.view) as InquiryView) : undefined;
}
