import { z } from 'zod';
import {
  CONTRACT_PERIODS,
  CUSTOMER_TYPES,
  REDUNDANCY_SPELLINGS,
  SERVICE_LEVELS,
} from '../../domain/fibre/pricing';
import type { OfferInquiryRequest } from '../../workflows/offerInquiry/contract';
import { FEED_LIMIT } from '../../feeds/feedStore';
import { NOT_BLANK_PATTERN } from '../../domain/textPatterns';
import { contractPeriods, fibreCountRule, MAX_FIBRES_PER_REQUEST, namesAPoint, PriceSchema } from './referenceSchema';

type FibreCounts = { noOfFiberPairs?: number; NumberOfFiberPairs?: number; noOfSingleFibers?: number; noOfSinglePairs?: number };
/** Either spelling; neither count sent means one fibre pair, as priceEstimate reads it. */
function fibresOf(b: FibreCounts): { pairs: number; singles: number } {
  const singles = b.noOfSingleFibers ?? b.noOfSinglePairs ?? 0;
  return { pairs: b.noOfFiberPairs ?? b.NumberOfFiberPairs ?? (singles ? 0 : 1), singles };
}

/**
 * Seed 002 §4's POST body. Form is checked here and answered with 400 naming each
 * wrong field; whether the points, supplier, product, invoice group and framework
 * agreement exist and are the client's is the workflow's assessment (DONE_FAILED).
 * The seed spells two fields several ways; each spelling is accepted, and the
 * parsed request (and every answer) uses one: noOfFiberPairs, noOfSingleFibers,
 * NoRedundancy.
 */
const notBlank = { pattern: NOT_BLANK_PATTERN };
const id = z.string().trim().min(1, 'is required').max(64, 'must be at most 64 characters').meta(notBlank);
const nameValue = z.object({ name: z.string().trim().min(1, 'is required').max(128).meta(notBlank), value: z.string().max(1024) });
const pointRef = z.object({ pointId: id, comment: z.string().max(2000).optional() }).nullable().optional();
const count = z.number({ message: 'must be a whole number' }).int('must be a whole number').min(0, 'must not be negative');
// As in priceEstimate: empty or absent means the client's first invoice group / standard agreement.
const optionalGuid = z
  .union([z.literal(''), z.guid('must be a GUID, e.g. 47193bdf-7855-499b-96a1-f9d387556a9e')])
  .nullable()
  .optional();

export const OfferInquirySchema = z
  .object({
    invoiceGroupId: optionalGuid,
    frameworkAgreementId: optionalGuid,
    supplier: id,
    product: z.object({ productId: id, name: z.string().max(128).optional() }),
    referenceId: z.string().max(64, 'must be at most 64 characters').optional(),
    from: pointRef,
    to: pointRef,
    comment: z.string().max(4000, 'must be at most 4000 characters').optional(),
    redundancy: z
      .object({
        type: z.enum(Object.keys(REDUNDANCY_SPELLINGS) as [string, ...string[]], {
          message: `must be one of ${Object.keys(REDUNDANCY_SPELLINGS).join(', ')}`,
        }),
        toPointId: z.string().max(64).nullable().optional(),
      })
      .optional(),
    customerType: z.enum(CUSTOMER_TYPES, { message: `must be one of ${CUSTOMER_TYPES.join(', ')}` }).default('Commercial'),
    serviceLevel: z.enum(SERVICE_LEVELS, { message: `must be one of ${SERVICE_LEVELS.join(', ')}` }).default('Base'),
    parameters: z.array(nameValue).max(50).optional(),
    subProducts: z
      .array(z.object({ productId: z.string().max(64), name: z.string().max(128), parameters: z.array(nameValue).max(50).optional() }))
      .max(20)
      .optional(),
    contractPeriodMonths: z
      .number({ message: 'must be 12, 36 or 60' })
      .refine((n): n is (typeof CONTRACT_PERIODS)[number] => (CONTRACT_PERIODS as readonly number[]).includes(n), 'must be 12, 36 or 60 (1, 3 or 5 years)')
      .meta(contractPeriods)
      .default(12),
    noOfFiberPairs: count.optional(),
    NumberOfFiberPairs: count.optional(),
    noOfSingleFibers: count.optional(),
    noOfSinglePairs: count.optional(),
    asyncAnswerAllowed: z.boolean({ message: 'must be true or false' }).optional(),
  })
  .superRefine((b, ctx) => {
    // Seed: "When comment is present the request will be async" — only if the client allows an async answer.
    if (b.comment && b.asyncAnswerAllowed !== true) {
      ctx.addIssue({
        code: 'custom',
        path: ['asyncAnswerAllowed'],
        message: 'must be true when comment is given: an inquiry with a comment is answered asynchronously',
      });
    }
    for (const [a, bName] of [['noOfFiberPairs', 'NumberOfFiberPairs'], ['noOfSingleFibers', 'noOfSinglePairs']] as const) {
      if (b[a] !== undefined && b[bName] !== undefined && b[a] !== b[bName]) {
        ctx.addIssue({ code: 'custom', path: [bName], message: `is another spelling of ${a} and must not differ from it` });
      }
    }
    const { pairs, singles } = fibresOf(b);
    if (pairs + singles < 1) {
      ctx.addIssue({ code: 'custom', path: ['noOfFiberPairs'], message: 'at least one fibre pair or single fibre (noOfSingleFibers) is required' });
    }
    if (pairs * 2 + singles > MAX_FIBRES_PER_REQUEST) {
      ctx.addIssue({ code: 'custom', path: ['noOfFiberPairs'], message: `at most ${MAX_FIBRES_PER_REQUEST} fibres (a pair is two) per request` });
    }
    if (!b.from && !b.to) ctx.addIssue({ code: 'custom', path: ['from'], message: 'at least one of from and to must name a point' });
  })
  .meta({
    // The superRefine above, for the document.
    allOf: [
      {
        description: 'An inquiry with a comment is answered asynchronously: it needs asyncAnswerAllowed: true',
        if: { properties: { comment: { minLength: 1 } }, required: ['comment'] },
        then: { properties: { asyncAnswerAllowed: { const: true } }, required: ['asyncAnswerAllowed'] },
      },
      fibreCountRule(
        MAX_FIBRES_PER_REQUEST,
        `At most ${MAX_FIBRES_PER_REQUEST} fibres, a pair counting two, and at least one; no count at all means one pair. noOfFiberPairs and NumberOfFiberPairs are one count (equal when both are sent); send one of noOfSingleFibers and noOfSinglePairs.`,
      ),
      { description: 'At least one of from and to names a point', ...namesAPoint },
    ],
  })
  .transform(
    (b): OfferInquiryRequest => ({
      invoiceGroupId: b.invoiceGroupId || null,
      frameworkAgreementId: b.frameworkAgreementId || null,
      supplier: b.supplier,
      product: { productId: b.product.productId, name: b.product.name },
      referenceId: b.referenceId ?? '',
      from: b.from ?? null,
      to: b.to ?? null,
      comment: b.comment || undefined,
      redundancy: { type: REDUNDANCY_SPELLINGS[b.redundancy?.type ?? 'NoRedundancy']!, toPointId: b.redundancy?.toPointId || null },
      customerType: b.customerType,
      serviceLevel: b.serviceLevel,
      parameters: b.parameters ?? [],
      subProducts: (b.subProducts ?? []).map((s) => ({ ...s, parameters: s.parameters ?? [] })),
      contractPeriodMonths: b.contractPeriodMonths as (typeof CONTRACT_PERIODS)[number],
      noOfFiberPairs: fibresOf(b).pairs,
      noOfSingleFibers: fibresOf(b).singles,
      asyncAnswerAllowed: b.asyncAnswerAllowed ?? false,
    }),
  );

export const InquiryProductSchema = z.object({ productId: z.string(), name: z.string(), price: PriceSchema.nullable() });

const INQUIRY_STATES = ['WAIT_ASYNC_ANSWER', 'DONE_SUCCESS', 'DONE_FAILED', 'DONE_ASYNC_ANSWER_SUCCESS', 'DONE_ASYNC_ANSWER_FAILED'] as const;
const InquiryStatusSchema = z.object({
  state: z.enum(INQUIRY_STATES),
  message: z.string(),
  orderDateTime: z.string(),
  doneDateTime: z.string().nullable(),
});

export const InquiryViewSchema = z.object({
  inquiryId: z.string(),
  inquiryNumber: z.string(),
  referenceId: z.string(),
  status: InquiryStatusSchema,
  supplier: z.string(),
  offerValidUntilDate: z.string().nullable(),
  connectionId: z.string().nullable(),
  deliveryDurationDays: z.number().nullable(),
  product: InquiryProductSchema,
  asyncStatusMessage: z.string(),
});

export const InquiryFeedItemSchema = z.object({
  inquiryId: z.string(),
  orderId: z.string().nullable(),
  supplier: z.string(),
  product: InquiryProductSchema,
  status: InquiryStatusSchema,
});

/** `?since=&limit=` of both feeds (§4 inquiries, §5 orders). */
export const FeedQuerySchema = z.object({
  since: z.iso
    .datetime({ offset: true, message: 'must be an ISO 8601 date-time, e.g. 2016-08-22T15:01:02.000Z' })
    .optional(),
  limit: z.coerce
    .number({ message: 'must be a whole number' })
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(FEED_LIMIT.max, `must be at most ${FEED_LIMIT.max}`)
    .default(FEED_LIMIT.default),
});

/** The price API's error body (seed 002 has none of its own; DESIGN.md: `{cause, message}`). */
export const CauseErrorSchema = z.object({
  cause: z.string(),
  message: z.string().optional(),
  errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
});
