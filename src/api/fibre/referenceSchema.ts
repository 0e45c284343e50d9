import { z } from 'zod';
import {
  CONTRACT_PERIODS,
  CUSTOMER_TYPES,
  FIBRE_STATUSES,
  PRICE_STATUSES,
  PriceRequest,
  PRODUCT_FILTERS,
  PRODUCT_NAMES,
  ProductFilter,
  REDUNDANCY_SPELLINGS,
  SERVICE_LEVELS,
} from '../../domain/fibre/pricing';
import type { FieldProblem } from '../shared/validate';
import { requiredText } from './fields';

/**
 * Schemas of the fibre price API's reference endpoints (seed 002 sections 1–3, 6,
 * 7): request validation, the parsed request types and the OpenAPI document.
 */

const listMessage = (values: readonly (string | number)[]) => `must be one of ${values.join(', ')}`;
/** The seed sends "" for "not chosen": empty (or spaces) means absent, anything else must be a GUID. */
const optionalGuid = z
  .string()
  .regex(/^\s*(?:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})?\s*$/, 'must be a GUID such as 47193bdf-7855-499b-96a1-f9d387556a9e, or empty')
  .trim()
  .nullable()
  .optional()
  .transform((v) => v || null);
const pointRef = z
  .object({
    pointId: requiredText().max(64, 'must be at most 64 characters'),
    comment: z.string().max(2000, 'must be at most 2000 characters').optional(),
  })
  .nullable()
  .optional()
  .transform((v) => v ?? null);
const count = z.number({ message: 'must be a whole number' }).int('must be a whole number').min(0, 'must not be negative').max(48, 'must be at most 48');
const nameValue = z.object({ name: z.string().max(128), value: z.string().max(1024) });

export const MAX_FIBRES_PER_REQUEST = 48;

/**
 * Seed 002 §3, each field's own rules (400). Where the seed spells a field two ways,
 * both are accepted (and must agree when both are sent: priceEstimateProblems):
 * `NumberOfFiberPairs`/`noOfFiberPairs`, `noOfSingleFibers`/`noOfSinglePairs`,
 * `NoReduncancy`/`NoRedundancy`. Answers use `noOfFiberPairs`, `noOfSingleFibers` and
 * `NoRedundancy`.
 */
export const PriceEstimateRequestSchema = z.object({
  invoiceGroupId: optionalGuid,
  frameworkAgreementId: optionalGuid,
  from: pointRef,
  to: pointRef,
  redundancy: z
    .object({
      type: z.enum(Object.keys(REDUNDANCY_SPELLINGS) as [string, ...string[]], { message: listMessage(Object.keys(REDUNDANCY_SPELLINGS)) }),
      toPointId: z.string().trim().max(64).nullable().optional(),
    })
    .nullable()
    .optional(),
  customerType: z.enum(CUSTOMER_TYPES, { message: listMessage(CUSTOMER_TYPES) }).default('Commercial'),
  serviceLevel: z.enum(SERVICE_LEVELS, { message: listMessage(SERVICE_LEVELS) }).default('Base'),
  products: z.enum(PRODUCT_FILTERS, { message: listMessage(PRODUCT_FILTERS) }).default('All'),
  productId: optionalGuid,
  parameters: z.array(nameValue).max(50).optional(),
  /** Seed: "Will not be implemented by Stokab". Accepted and not priced. */
  subProducts: z.array(z.unknown()).max(50).optional(),
  contractPeriodMonths: z.literal(CONTRACT_PERIODS, { message: listMessage(CONTRACT_PERIODS) }).default(12),
  noOfFiberPairs: count.optional(),
  NumberOfFiberPairs: count.optional(),
  noOfSingleFibers: count.optional(),
  noOfSinglePairs: count.optional(),
});
export type PriceEstimateBody = z.output<typeof PriceEstimateRequestSchema>;

/** Neither count sent: one fibre pair, the seed example's order. */
function fibresOf(b: PriceEstimateBody): { pairs: number; singles: number } {
  const singles = b.noOfSingleFibers ?? b.noOfSinglePairs ?? 0;
  return { pairs: b.noOfFiberPairs ?? b.NumberOfFiberPairs ?? (singles ? 0 : 1), singles };
}

/** The rules between a price estimate's fields: each broken one is a 422 naming its field (src/api/fibre/fields.ts). */
export function priceEstimateProblems(b: PriceEstimateBody): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const agree = (a: keyof PriceEstimateBody, c: keyof PriceEstimateBody) => {
    if (b[a] !== undefined && b[c] !== undefined && b[a] !== b[c]) problems.push({ field: c, message: `disagrees with ${a}; send one of the two` });
  };
  agree('noOfFiberPairs', 'NumberOfFiberPairs');
  agree('noOfSingleFibers', 'noOfSinglePairs');
  const pairs = b.noOfFiberPairs ?? b.NumberOfFiberPairs;
  const singles = b.noOfSingleFibers ?? b.noOfSinglePairs;
  if (pairs === 0 && (singles ?? 0) === 0) problems.push({ field: 'noOfFiberPairs', message: 'at least one fibre pair or single fibre is required' });
  if ((pairs ?? 1) * 2 + (singles ?? 0) > MAX_FIBRES_PER_REQUEST) {
    problems.push({ field: 'noOfFiberPairs', message: `at most ${MAX_FIBRES_PER_REQUEST} fibres (a pair is two) per request` });
  }
  // Seed §3: from/to "may be set to null if any product only requires one point (address). E.g. Star."
  const named = [b.from, b.to].filter(Boolean).length;
  if (named === 0) problems.push({ field: 'from', message: 'at least one point is required (from, or from and to)' });
  if (b.products === 'Point2Point' && named === 1) problems.push({ field: b.from ? 'to' : 'from', message: 'is required: Point2Point connects two points' });
  if (b.products === 'Star' && named === 2) problems.push({ field: 'to', message: 'must be null: Star connects one point to the supplier\'s node' });
  return problems;
}

/** The request as pricing reads it: one spelling per field, defaults filled in. */
export function priceEstimateInput(b: PriceEstimateBody) {
  const { pairs, singles } = fibresOf(b);
  return {
    invoiceGroupId: b.invoiceGroupId,
    frameworkAgreementId: b.frameworkAgreementId,
    selection: { products: b.products as ProductFilter, productId: b.productId },
    request: {
      from: b.from,
      to: b.to,
      redundancy: { type: REDUNDANCY_SPELLINGS[b.redundancy?.type ?? 'NoRedundancy']!, toPointId: b.redundancy?.toPointId || null },
      customerType: b.customerType,
      serviceLevel: b.serviceLevel,
      contractPeriodMonths: b.contractPeriodMonths,
      noOfFiberPairs: pairs,
      noOfSingleFibers: singles,
    } satisfies PriceRequest,
  };
}
export type PriceEstimateInput = ReturnType<typeof priceEstimateInput>;

export const AvailabilityQuerySchema = z.object({
  street: requiredText(z.string({ message: 'is required' })).max(255).describe('Street name (required)'),
  city: z.string().trim().max(128).optional().describe('City'),
  number: z.string().trim().max(32).optional().describe('Street number; "12B" also finds littera B'),
  littera: z.string().trim().max(16).optional().describe('Letter after the number'),
});

const AddressSchema = z.object({
  street: z.string(),
  number: z.string(),
  littera: z.string(),
  postalCode: z.string(),
  city: z.string(),
  countryCode: z.string(),
});

/** Seed 002 §2: a point and its suppliers' fibre status. */
export const AvailabilityPointSchema = z.object({
  pointId: z.string(),
  address: AddressSchema,
  building: z.object({ distinguisher: z.string(), type: z.enum(['MDU', 'SDU']) }),
  realEstate: z.object({ label: z.string(), municipality: z.string() }),
  coordinate: z.object({ latitude: z.number(), longitude: z.number(), projection: z.string() }),
  district: z.string(),
  suppliers: z.array(z.object({ name: z.string(), fiberStatus: z.enum(FIBRE_STATUSES), statusValidationRequired: z.boolean() })),
  relatedPointIds: z.array(z.string()),
});

/** Seed 002 §1: as §2, plus pointInfo. */
export const FeasibilityPointSchema = AvailabilityPointSchema.extend({
  pointInfo: z.object({ name: z.string(), type: z.string(), aNode: z.string(), oNode: z.string() }),
});

const PriceItemSchema = z.object({
  name: z.string(),
  parameters: z.array(nameValue),
  oneTimeFee: z.number(),
  monthlyFee: z.number(),
});
export const PriceSchema = z.object({
  status: z.enum(PRICE_STATUSES),
  oneTimeFee: z.number(),
  monthlyFee: z.number(),
  items: z.array(PriceItemSchema),
});

export const PriceEstimateResponseSchema = z.array(
  z.object({
    supplier: z.string(),
    products: z.array(
      z.object({
        productId: z.string(),
        name: z.enum(PRODUCT_NAMES),
        status: z.enum(['AVAILABLE', 'NOT_AVAILABLE']),
        comment: z.string(),
        items: z.array(nameValue),
        subProducts: z.array(z.unknown()),
        price: PriceSchema.nullable(),
        pricingMessage: z.string(),
        optionalProducts: z.array(z.unknown()),
      }),
    ),
  }),
);

/** Seed 002 §6 spells the id `invoiceGroupid`; we send that and the regular `invoiceGroupId`. */
export const InvoiceGroupListSchema = z.array(
  z.object({ name: z.string(), clientNumber: z.string(), invoiceGroupid: z.string(), invoiceGroupId: z.string(), invoiceGroupNumber: z.string() }),
);

export const FrameworkAgreementListSchema = z.array(
  z.object({ name: z.string(), isStandard: z.boolean(), frameworkAgreementId: z.string(), masterSystemId: z.string() }),
);
