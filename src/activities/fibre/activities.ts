import type { Orm } from '../../db/orm';
import { FibreInquiryRecordSchema, FibreOrderRecordSchema } from '../../db/entities';
import { allocateInquiryNumber } from '../../db/fibre/inquiryNumbers';
import type { FibreSupplier } from '../../external/fibre/supplier';
import { appendToFeed } from '../../feeds/feedStore';
import type { InquiryAssessment, InquiryStage, InquiryView, OfferForOrder, OfferInquiryRequest } from '../../workflows/fibre/inquiryContract';
import type { DeliveryOutcome, OrderView } from '../../workflows/fibre/orderContract';
import { assessOfferInquiry } from './inquiryAssessment';
import { PublicIdWrite, writeWithPublicId } from '../shared/publicIds';

export interface InquiryRecordInput {
  inquiryId: string;
  tenantId: string;
  correlationId: string;
  stage: InquiryStage;
  view: InquiryView;
  publicId?: PublicIdWrite;
}

export interface OrderRecordInput {
  orderId: string;
  tenantId: string;
  correlationId: string;
  inquiryId: string;
  view: OrderView;
  publicId?: PublicIdWrite;
}

/** What the `inquiries` feed holds per item: the seed's item without doneDateTime, which the feed row carries. */
export function inquiryFeedPayload(view: InquiryView): Record<string, unknown> {
  const { doneDateTime: _assignedByTheFeed, ...status } = view.status;
  // orderId is in the seed's item; the item is frozen when the answer comes, before any order can exist.
  return { inquiryId: view.inquiryId, orderId: null, supplier: view.supplier, product: view.product, status };
}

export function createFibreActivities(orm: Orm, supplier: FibreSupplier) {
  async function upsertInquiry(rec: InquiryRecordInput): Promise<void> {
    const now = new Date();
    await writeWithPublicId(orm, rec.tenantId, rec.publicId, async (em) => {
      await em.upsert(
        FibreInquiryRecordSchema,
        {
          inquiryId: rec.inquiryId,
          tenantId: rec.tenantId,
          inquiryNumber: rec.view.inquiryNumber,
          state: rec.view.status.state,
          stage: rec.stage,
          view: JSON.stringify(rec.view),
          correlationId: rec.correlationId,
          createdAt: now,
          updatedAt: now,
        },
        { onConflictFields: ['inquiryId'], onConflictExcludeFields: ['createdAt'] },
      );
    });
  }

  async function upsertOrder(rec: OrderRecordInput): Promise<void> {
    const now = new Date();
    await writeWithPublicId(orm, rec.tenantId, rec.publicId, async (em) => {
      await em.upsert(
        FibreOrderRecordSchema,
        {
          orderId: rec.orderId,
          tenantId: rec.tenantId,
          inquiryId: rec.inquiryId,
          state: rec.view.status.state,
          view: JSON.stringify(rec.view),
          correlationId: rec.correlationId,
          createdAt: now,
          updatedAt: now,
        },
        { onConflictFields: ['orderId'], onConflictExcludeFields: ['createdAt'] },
      );
    });
  }

  return {
    /** SP-nnnnnn; the API has usually allocated it already, and this reads the same number. */
    async allocateInquiryNumber({ inquiryId }: { inquiryId: string }): Promise<string> {
      return allocateInquiryNumber(orm, inquiryId);
    },

    async assessInquiry({ tenantId, inquiry }: { tenantId: string; inquiry: OfferInquiryRequest }): Promise<InquiryAssessment> {
      return assessOfferInquiry(orm, tenantId, inquiry);
    },

    /** Upsert: a retry after a crash writes the same row again, never a second one. */
    async recordInquiry(rec: InquiryRecordInput): Promise<void> {
      await upsertInquiry(rec);
    },

    /**
     * An async inquiry reached its final state: append it to the `inquiries` feed
     * (idempotent: a retry gets the row it wrote before, with the same doneDateTime),
     * then store that doneDateTime in the read model so GET and the feed agree.
     */
    async completeAsyncInquiry(rec: InquiryRecordInput): Promise<{ doneDateTime: string }> {
      const entry = await appendToFeed(orm, {
        feed: 'inquiries',
        entityId: rec.inquiryId,
        tenantId: rec.tenantId,
        payload: inquiryFeedPayload(rec.view),
        impersonatedBy: rec.publicId?.impersonatedBy,
      });
      const doneDateTime = entry.doneDateTime.toISOString();
      await upsertInquiry({ ...rec, view: { ...rec.view, status: { ...rec.view.status, doneDateTime } } });
      return { doneDateTime };
    },

    async supplierAnswerInquiry(req: { inquiryId: string; inquiry: OfferInquiryRequest; assessment: InquiryAssessment }) {
      return supplier.answerInquiry(req);
    },

    async recordOrder(rec: OrderRecordInput): Promise<void> {
      await upsertOrder(rec);
    },

    /** Same as completeAsyncInquiry, for the `orders` feed (items `{orderId, state, message}`). */
    async completeOrder(rec: OrderRecordInput): Promise<{ doneDateTime: string }> {
      const { state, message } = rec.view.status;
      const entry = await appendToFeed(orm, {
        feed: 'orders',
        entityId: rec.orderId,
        tenantId: rec.tenantId,
        payload: { orderId: rec.orderId, state, message },
        impersonatedBy: rec.publicId?.impersonatedBy,
      });
      const doneDateTime = entry.doneDateTime.toISOString();
      await upsertOrder({ ...rec, view: { ...rec.view, status: { ...rec.view.status, doneDateTime } } });
      return { doneDateTime };
    },

    async supplierDeliverOrder(req: { orderId: string; offer: OfferForOrder }): Promise<DeliveryOutcome> {
      return supplier.deliverOrder(req);
    },
  };
}

/** What the fibre (inquiry and order) workflows may call: their own activities, typed apart from the other families'. */
export type FibreActivities = ReturnType<typeof createFibreActivities>;
