import { z } from 'zod';
import {
  CONTRACT_PERIODS,
  CUSTOMER_TYPES,
  FULL_REDUNDANCY_REFUSAL,
  INQUIRY_REDUNDANCY_SPELLINGS,
  REDUNDANCY_SPELLINGS,
  SERVICE_LEVELS,
} from '../../domain/fibre/pricing';
import type { OfferInquiryRequest } from '../../workflows/fibre/inquiryContract';
import { FEED_LIMIT } from '../../feeds/feedStore';
import type { FieldProblem } from '../shared/validate';
import { requiredText } from './fields';
import { MAX_FIBRES_PER_REQUEST, PriceSchema } from './referenceSchema';

type FibreCounts = { noOfFiberPairs?: number; NumberOfFiberPairs?: number; noOfSingleFibers?: number; noOfSinglePairs?: number };
/** Either spelling; neither count sent means one fibre pair, as priceEstimate reads it. */
function fibresOf(b: FibreCounts): { pairs: number; singles: number } {
  const singles = b.noOfSingleFibers ?? b.noOfSinglePairs ?? 0;
  return { pairs: b.noOfFiberPairs ?? b.NumberOfFiberPairs ?? (singles ? 0 : 1), singles };
}

/**
 * Seed 002 §4's POST body. Each field's form is checked here and answered with 400
 * naming each wrong field; the rules between fields (offerInquiryProblems) with 422;
 * whether the points, supplier, product, invoice group and framework agreement exist
 * and are the client's is the workflow's assessment (DONE_FAILED). The seed spells two
 * fields several ways; each spelling is accepted, and the parsed request (and every
 * answer) uses one: noOfFiberPairs, noOfSingleFibers, NoRedundancy.
 */
const id = requiredText().max(64, 'must be at most 64 characters');
const nameValue = z.object({ name: requiredText().max(128), value: z.string().max(1024) });
const pointRef = z.object({ pointId: id, comment: z.string().max(2000).optional() }).nullable().optional();
const count = z.number({ message: 'must be a whole number' }).int('must be a whole number').min(0, 'must not be negative');
// As in priceEstimate: empty or absent means the client's first invoice group / standard agreement.
const optionalGuid = z
  .union([z.literal(''), z.guid('must be a GUID, e.g. 47193bdf-7855-499b-96a1-f9d387556a9e')])
  .nullable()
  .optional();

export const OfferInquiryBodySchema = z.object({
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
      // Not Full: the seed's enum here has no Full, and says why in the sentence a client gets.
      type: z
        .enum(INQUIRY_REDUNDANCY_SPELLINGS, {
          error: (issue) => (issue.input === 'Full' ? FULL_REDUNDANCY_REFUSAL : `must be one of ${INQUIRY_REDUNDANCY_SPELLINGS.join(', ')}`),
        })
        .describe(`${INQUIRY_REDUNDANCY_SPELLINGS.join(', ')}; Full is refused with 400: "${FULL_REDUNDANCY_REFUSAL}" (seed 002 §4; priceEstimate prices it)`),
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
  contractPeriodMonths: z.literal(CONTRACT_PERIODS, { message: 'must be 12, 36 or 60 (1, 3 or 5 years)' }).default(12),
  noOfFiberPairs: count.optional(),
  NumberOfFiberPairs: count.optional(),
  noOfSingleFibers: count.optional(),
  noOfSinglePairs: count.optional(),
  asyncAnswerAllowed: z.boolean({ message: 'must be true or false' }).optional(),
});
export type OfferInquiryBody = z.output<typeof OfferInquiryBodySchema>;

/** The rules between an inquiry's fields: each broken one is a 422 naming its field (src/api/fibre/fields.ts). */
export function offerInquiryProblems(b: OfferInquiryBody): FieldProblem[] {
  const problems: FieldProblem[] = [];
  // Seed: "When comment is present the request will be async" — only if the client allows an async answer.
  if (b.comment && b.asyncAnswerAllowed !== true) {
    problems.push({ field: 'asyncAnswerAllowed', message: 'must be true when comment is given: an inquiry with a comment is answered asynchronously' });
  }
  for (const [a, other] of [['noOfFiberPairs', 'NumberOfFiberPairs'], ['noOfSingleFibers', 'noOfSinglePairs']] as const) {
    if (b[a] !== undefined && b[other] !== undefined && b[a] !== b[other]) {
      problems.push({ field: other, message: `is another spelling of ${a} and must not differ from it` });
    }
  }
  const { pairs, singles } = fibresOf(b);
  if (pairs + singles < 1) problems.push({ field: 'noOfFiberPairs', message: 'at least one fibre pair or single fibre (noOfSingleFibers) is required' });
  if (pairs * 2 + singles > MAX_FIBRES_PER_REQUEST) {
    problems.push({ field: 'noOfFiberPairs', message: `at most ${MAX_FIBRES_PER_REQUEST} fibres (a pair is two) per request` });
  }
  if (!b.from && !b.to) problems.push({ field: 'from', message: 'at least one of from and to must name a point' });
  return problems;
}

/** The inquiry as the workflow keeps it: one spelling per field, defaults filled in. */
export function offerInquiryRequest(b: OfferInquiryBody): OfferInquiryRequest {
  return {
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
    contractPeriodMonths: b.contractPeriodMonths,
    noOfFiberPairs: fibresOf(b).pairs,
    noOfSingleFibers: fibresOf(b).singles,
    asyncAnswerAllowed: b.asyncAnswerAllowed ?? false,
  };
}

/** The whole parse, both steps in one, for a body that does not come through HTTP (tests, tools): every problem is an issue. */
export const OfferInquirySchema = OfferInquiryBodySchema.superRefine((b, ctx) => {
  for (const p of offerInquiryProblems(b)) ctx.addIssue({ code: 'custom', path: [p.field], message: p.message });
}).transform(offerInquiryRequest);

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
  invoiceGroupId: z.string().optional().describe('The invoice group the offer is made under: the one the inquiry named, else the client\'s first; absent when the inquiry named one that is not the client\'s'),
  frameworkAgreementId: z.string().optional().describe('The framework agreement the offer is priced under: the one the inquiry named, else the client\'s standard one'),
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
    .optional()
    .describe('ISO 8601 date-time: items done strictly after it'),
  limit: z.coerce
    .number({ message: 'must be a whole number' })
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(FEED_LIMIT.max, `must be at most ${FEED_LIMIT.max}`)
    .default(FEED_LIMIT.default)
    .describe(`Page size, 1 to ${FEED_LIMIT.max} (default ${FEED_LIMIT.default})`),
});
