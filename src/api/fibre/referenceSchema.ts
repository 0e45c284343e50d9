import { z } from 'zod';
import {
  CONTRACT_PERIODS,
  ContractPeriod,
  CUSTOMER_TYPES,
  FIBER_STATUSES,
  PRICE_STATUSES,
  PriceRequest,
  PRODUCT_FILTERS,
  PRODUCT_NAMES,
  ProductFilter,
  REDUNDANCY_SPELLINGS,
  SERVICE_LEVELS,
} from '../../domain/fibre/pricing';
import { NOT_BLANK_PATTERN } from '../../domain/textPatterns';

/**
 * Schemas of the fibre price API's reference endpoints (seed 002 sections 1–3, 6,
 * 7): request validation, the parsed request types and the OpenAPI document.
 */

const listMessage = (values: readonly (string | number)[]) => `must be one of ${values.join(', ')}`;
const notBlank = { pattern: NOT_BLANK_PATTERN };
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** The seed sends "" for "not chosen": empty means absent, anything else must be a GUID. */
const optionalGuid = z
  .string()
  .trim()
  .refine((v) => v === '' || GUID.test(v), 'must be a GUID such as 47193bdf-7855-499b-96a1-f9d387556a9e, or empty')
  // The refinement for the document: blank, or a GUID (white space around it is trimmed).
  .meta({ pattern: '^\\s*(?:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})?\\s*$' })
  .nullable()
  .optional()
  .transform((v) => v || null);
const pointRef = z
  .object({
    pointId: z.string().trim().min(1, 'is required').max(64, 'must be at most 64 characters').meta(notBlank),
    comment: z.string().max(2000, 'must be at most 2000 characters').optional(),
  })
  .nullable()
  .optional()
  .transform((v) => v ?? null);
const count = z.number({ message: 'must be a whole number' }).int('must be a whole number').min(0, 'must not be negative').max(48, 'must be at most 48');
const nameValue = z.object({ name: z.string().max(128), value: z.string().max(1024) });

export const MAX_FIBRES_PER_REQUEST = 48;

/** Seed 002's contract periods, for the document (the refinements say it in code). */
export const contractPeriods = { enum: [...CONTRACT_PERIODS] };

/**
 * The fibre counts of a price estimate or an offer inquiry, for the document: at most
 * MAX_FIBRES_PER_REQUEST fibres, a pair counting two, and at least one. JSON Schema has
 * no arithmetic, so this lists the pair counts, each with the single fibres it leaves
 * room for: one branch per count, exact. The two spellings of the pair count must
 * agree (the `const` of each branch says so); the two of the single-fibre count are
 * documented as "send one" (the server also takes both when equal). `withoutPairs` is
 * how many single fibres fit when no pair count is sent (the price estimate counts one
 * pair then, an offer inquiry none once single fibres are asked for).
 */
export function fibreCountRule(withoutPairs: number, description: string) {
  const pairs = (value: number) => ({ noOfFiberPairs: { const: value }, NumberOfFiberPairs: { const: value } });
  const singles = (bounds: { minimum?: number; maximum?: number }) => ({ noOfSingleFibers: bounds, noOfSinglePairs: bounds });
  const maxPairs = MAX_FIBRES_PER_REQUEST / 2;
  return {
    description,
    dependentSchemas: { noOfSingleFibers: { properties: { noOfSinglePairs: false } } },
    anyOf: [
      { properties: { noOfFiberPairs: false, NumberOfFiberPairs: false, ...singles({ maximum: withoutPairs }) } },
      {
        properties: { ...pairs(0), ...singles({ minimum: 1, maximum: MAX_FIBRES_PER_REQUEST }) },
        anyOf: [['noOfFiberPairs', 'noOfSingleFibers'], ['noOfFiberPairs', 'noOfSinglePairs'], ['NumberOfFiberPairs', 'noOfSingleFibers'], ['NumberOfFiberPairs', 'noOfSinglePairs']].map(
          (required) => ({ required }),
        ),
      },
      ...Array.from({ length: maxPairs }, (_, i) => i + 1).map((n) => ({
        properties: { ...pairs(n), ...singles({ maximum: MAX_FIBRES_PER_REQUEST - 2 * n }) },
        anyOf: [{ required: ['noOfFiberPairs'] }, { required: ['NumberOfFiberPairs'] }],
      })),
    ],
  };
}

/** At least one of from and to names a point (an object; null and absent name none). */
export const namesAPoint = {
  anyOf: ['from', 'to'].map((end) => ({ required: [end], properties: { [end]: { type: 'object' } } })),
};

/**
 * Seed 002 §3. Where the seed spells a field two ways, both are accepted (and must
 * agree when both are sent): `NumberOfFiberPairs`/`noOfFiberPairs`,
 * `noOfSingleFibers`/`noOfSinglePairs`, `NoReduncancy`/`NoRedundancy`. Answers use
 * `noOfFiberPairs`, `noOfSingleFibers` and `NoRedundancy`.
 */
export const PriceEstimateRequestSchema = z
  .object({
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
    contractPeriodMonths: z
      .number({ message: listMessage(CONTRACT_PERIODS) })
      .refine((v) => (CONTRACT_PERIODS as readonly number[]).includes(v), listMessage(CONTRACT_PERIODS))
      .meta(contractPeriods)
      .default(12),
    noOfFiberPairs: count.optional(),
    NumberOfFiberPairs: count.optional(),
    noOfSingleFibers: count.optional(),
    noOfSinglePairs: count.optional(),
  })
  .superRefine((b, ctx) => {
    const agree = (a: keyof typeof b, c: keyof typeof b) => {
      if (b[a] !== undefined && b[c] !== undefined && b[a] !== b[c]) {
        ctx.addIssue({ code: 'custom', path: [c], message: `disagrees with ${String(a)}; send one of the two` });
      }
    };
    agree('noOfFiberPairs', 'NumberOfFiberPairs');
    agree('noOfSingleFibers', 'noOfSinglePairs');
    const pairs = b.noOfFiberPairs ?? b.NumberOfFiberPairs;
    const singles = b.noOfSingleFibers ?? b.noOfSinglePairs;
    if (pairs === 0 && (singles ?? 0) === 0) {
      ctx.addIssue({ code: 'custom', path: ['noOfFiberPairs'], message: 'at least one fibre pair or single fibre is required' });
    }
    if ((pairs ?? 1) * 2 + (singles ?? 0) > MAX_FIBRES_PER_REQUEST) {
      ctx.addIssue({ code: 'custom', path: ['noOfFiberPairs'], message: `at most ${MAX_FIBRES_PER_REQUEST} fibres (a pair is two) per request` });
    }
    // Seed §3: from/to "may be set to null if any product only requires one point (address). E.g. Star."
    const named = [b.from, b.to].filter(Boolean).length;
    if (named === 0) ctx.addIssue({ code: 'custom', path: ['from'], message: 'at least one point is required (from, or from and to)' });
    if (b.products === 'Point2Point' && named === 1) {
      ctx.addIssue({ code: 'custom', path: [b.from ? 'to' : 'from'], message: 'is required: Point2Point connects two points' });
    }
    if (b.products === 'Star' && named === 2) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be null: Star connects one point to the supplier\'s node' });
    }
  })
  .meta({
    // The superRefine above, for the document.
    allOf: [
      fibreCountRule(
        MAX_FIBRES_PER_REQUEST - 2,
        `At most ${MAX_FIBRES_PER_REQUEST} fibres, a pair counting two, and at least one; no pair count means one pair. noOfFiberPairs and NumberOfFiberPairs are one count (equal when both are sent); send one of noOfSingleFibers and noOfSinglePairs.`,
      ),
      { description: 'At least one point: from, or from and to', ...namesAPoint },
      {
        description: 'Point2Point connects two points: from and to',
        if: { properties: { products: { const: 'Point2Point' } }, required: ['products'] },
        then: { required: ['from', 'to'], properties: { from: { type: 'object' }, to: { type: 'object' } } },
      },
      {
        description: 'Star connects one point to the supplier\'s node: not both from and to',
        if: { properties: { products: { const: 'Star' } }, required: ['products'] },
        then: { not: { required: ['from', 'to'], properties: { from: { type: 'object' }, to: { type: 'object' } } } },
      },
    ],
  })
  .transform((b) => ({
    invoiceGroupId: b.invoiceGroupId,
    frameworkAgreementId: b.frameworkAgreementId,
    selection: { products: b.products as ProductFilter, productId: b.productId },
    request: {
      from: b.from,
      to: b.to,
      redundancy: { type: REDUNDANCY_SPELLINGS[b.redundancy?.type ?? 'NoRedundancy']!, toPointId: b.redundancy?.toPointId || null },
      customerType: b.customerType,
      serviceLevel: b.serviceLevel,
      contractPeriodMonths: b.contractPeriodMonths as ContractPeriod,
      // Neither count sent: one fibre pair, the seed example's order.
      noOfFiberPairs: b.noOfFiberPairs ?? b.NumberOfFiberPairs ?? (b.noOfSingleFibers ?? b.noOfSinglePairs ? 0 : 1),
      noOfSingleFibers: b.noOfSingleFibers ?? b.noOfSinglePairs ?? 0,
    } satisfies PriceRequest,
  }));
export type PriceEstimateInput = z.output<typeof PriceEstimateRequestSchema>;

export const AvailabilityQuerySchema = z.object({
  street: z.string({ message: 'is required' }).trim().min(1, 'is required').max(255).meta(notBlank),
  city: z.string().trim().max(128).optional(),
  number: z.string().trim().max(32).optional(),
  littera: z.string().trim().max(16).optional(),
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
  suppliers: z.array(z.object({ name: z.string(), fiberStatus: z.enum(FIBER_STATUSES), statusValidationRequired: z.boolean() })),
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
