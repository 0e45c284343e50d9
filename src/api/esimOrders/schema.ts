import { z } from 'zod';
import { ICCID_MESSAGE, isValidIccid } from '../../domain/esimOrders/iccid';
import { NOT_BLANK_PATTERN } from '../../domain/shared/textPatterns';
import { MAX_BULK_ACTIVATIONS } from '../../workflows/esimOrders/contract';

/**
 * Seed 001's POST body, `{"input": {...}}`. Form and the seed's table of mandatory
 * fields and defaults are checked here (400 INVALID_REQUEST_PARAMS naming each
 * field); what needs the customer or the catalogue is the workflow's (422).
 * Each rule a refinement checks is also in the published document (`.meta`):
 * a pattern, a custom format (`iccid`, `date-time-not-past`) or a conditional on
 * `operationType`, so what the document allows is what this accepts.
 */
const required = { error: (issue: { input: unknown }) => (issue.input === undefined ? 'is required' : undefined) };
const notBlank = { pattern: NOT_BLANK_PATTERN };

/** A client sending "now" arrives a little later: tolerate this much clock skew. */
export const ACTIVATION_DATE_GRACE_MS = 5 * 60 * 1000;

const ICCID_DESCRIPTION = 'An ICCID (ITU-T E.118): 19 or 20 digits, the last a Luhn check digit over the others';
const iccid = z
  .string(required)
  .trim()
  .refine(isValidIccid, ICCID_MESSAGE)
  .meta({ format: 'iccid', pattern: '^\\d{19,20}$', description: ICCID_DESCRIPTION });

/**
 * BULK_ACTIVATION's ICCIDs. The seed's example writes a list holding one
 * comma-separated string (`["8944…811, 8944…811"]`); a proper list, or a bare string,
 * means the same. The same ICCID twice in one subscription is one activation.
 */
const iccidList = z.preprocess(
  (v) => {
    const items = Array.isArray(v) ? v : typeof v === 'string' ? [v] : v;
    if (!Array.isArray(items)) return items;
    return items.flatMap((x) => (typeof x === 'string' ? x.split(',').map((s) => s.trim()).filter(Boolean) : [x]));
  },
  z
    .array(iccid, required)
    .min(1, 'must name at least one ICCID')
    .max(MAX_BULK_ACTIVATIONS, `must name at most ${MAX_BULK_ACTIVATIONS} ICCIDs`)
    .transform((list) => [...new Set(list)]),
).meta({
  // A list, or one ICCID as a bare string; the string-only keywords apply to that string.
  type: ['array', 'string'],
  maxItems: MAX_BULK_ACTIVATIONS,
  format: 'iccid',
  pattern: '^\\d{19,20}$',
  description: `${ICCID_DESCRIPTION}. A list of them, or one as a bare string; an item may also hold several, comma-separated (the seed's example). Required for BULK_ACTIVATION, refused otherwise.`,
});

const activationDate = z.iso
  .datetime({ offset: true, message: 'must be an ISO 8601 date-time with time zone, e.g. 2030-09-13T12:00:00Z' })
  .refine((v) => Date.parse(v) >= Date.now() - ACTIVATION_DATE_GRACE_MS, 'can not be a date in the past')
  // Relative to the time of the request: a format of our own, beside date-time for the client's generators.
  .meta({ allOf: [{ format: 'date-time-not-past', description: 'Not in the past (5 minutes of clock skew are tolerated)' }] });

export const EsimSubscriptionSchema = z
  .object({
    id: z.string(required).trim().min(1, 'is required').max(64).meta(notBlank),
    type: z.string().trim().min(1).max(32).meta(notBlank).default('REGULAR'),
    activationDate: activationDate.optional(),
    autoRenew: z.boolean({ message: 'must be true or false' }).default(false),
    dataValue: z.number({ message: 'must be a number' }).positive('must be positive').optional(),
    dataUnit: z.enum(['KB', 'MB', 'GB', 'TB'], { message: 'must be one of KB, MB, GB, TB' }).optional(),
    price: z.number({ message: 'must be a number' }).nonnegative('must not be negative').optional(),
    currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 currency code, e.g. EUR').optional(),
    iccid: iccidList.optional(),
  })
  .superRefine((s, ctx) => {
    // Seed: price and currency are sent as a pair or not at all.
    if (s.price !== undefined && s.currency === undefined) {
      ctx.addIssue({ code: 'custom', path: ['currency'], message: 'must be sent together with price' });
    }
    if (s.currency !== undefined && s.price === undefined) {
      ctx.addIssue({ code: 'custom', path: ['price'], message: 'must be sent together with currency' });
    }
  })
  .meta({ dependentRequired: { price: ['currency'], currency: ['price'] }, description: 'price and currency are sent together or not at all' });

const BULK_LIMITS =
  `BULK_ACTIVATION: at most ${MAX_BULK_ACTIVATIONS} ICCIDs in all subscriptions together (an ICCID named by two subscriptions counts twice: ` +
  'each is an activation), and a product at most once per ICCID (seed 001: "each one with an unique product"). ' +
  'Either broken is a 400 naming the ICCID where it breaks.';

type Subscription = z.output<typeof EsimSubscriptionSchema>;

/**
 * The bulk rules that relate one subscription to another, which JSON Schema cannot
 * say (the document states them in `subscriptions`' description). The same product
 * twice on one ICCID would activate it twice; past the maximum the order's payloads
 * outgrow what one workflow carries (see MAX_BULK_ACTIVATIONS).
 */
function bulkLimits(subscriptions: Subscription[], ctx: z.RefinementCtx<unknown>): void {
  const productOn = new Map<string, number>();
  // A list past the maximum on its own is already named by the list's limit.
  let total = subscriptions.some((s) => (s.iccid?.length ?? 0) > MAX_BULK_ACTIVATIONS) ? -Infinity : 0;
  subscriptions.forEach((s, i) => {
    (s.iccid ?? []).forEach((iccid, k) => {
      total += 1;
      if (total === MAX_BULK_ACTIVATIONS + 1) {
        ctx.addIssue({ code: 'custom', path: ['subscriptions', i, 'iccid', k], message: `is one ICCID too many: a BULK_ACTIVATION activates at most ${MAX_BULK_ACTIVATIONS} ICCIDs in all subscriptions together` });
      }
      const key = `${s.id}\u0000${iccid}`;
      const first = productOn.get(key);
      if (first === undefined) productOn.set(key, i);
      else {
        ctx.addIssue({
          code: 'custom',
          path: ['subscriptions', i, 'iccid', k],
          message: `ICCID ${iccid} already gets product ${s.id} from input.subscriptions[${first}]: each product at most once per ICCID`,
        });
      }
    });
  });
}

/** The superRefine below, for the document: what each operationType asks of the rest of the order. */
const isOperation = (...types: string[]) => ({ properties: { operationType: { enum: types } }, required: ['operationType'] });
const OPERATION_TYPE_RULES = [
  {
    description: 'TOPUP (and its deprecated alias TOPUP_ACTIVATION) tops up the eSIM named by esim.iccid, on an ios or android device',
    if: isOperation('TOPUP', 'TOPUP_ACTIVATION'),
    then: { required: ['esim'], properties: { esim: { required: ['iccid'] }, device: { properties: { type: { enum: ['ios', 'android'] } } } } },
  },
  {
    description: 'NEW_ESIM provisions a new eSIM: no esim.iccid',
    if: isOperation('NEW_ESIM'),
    then: { properties: { esim: { properties: { iccid: false } } } },
  },
  {
    description: 'Every BULK_ACTIVATION subscription names its ICCIDs; no other operation names any',
    if: isOperation('BULK_ACTIVATION'),
    then: { properties: { subscriptions: { items: { required: ['iccid'] } } } },
    else: { properties: { subscriptions: { items: { properties: { iccid: false } } } } },
  },
];

export const EsimOrderInputSchema = z
  .object({
    operationType: z.enum(['NEW_ESIM', 'TOPUP', 'TOPUP_ACTIVATION', 'BULK_ACTIVATION'], {
      error: (i) => (i.input === undefined ? 'is required' : 'must be NEW_ESIM, TOPUP (TOPUP_ACTIVATION is a deprecated alias) or BULK_ACTIVATION'),
    }),
    countryCode: z.string(required).regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 country code, e.g. PT'),
    subscriptions: z
      .array(EsimSubscriptionSchema, required)
      .min(1, 'must hold at least one subscription')
      .max(50)
      .meta({ description: BULK_LIMITS }),
    device: z.object(
      {
        type: z.enum(['iot', 'ios', 'android'], { error: (i) => (i.input === undefined ? 'is required' : 'must be one of iot, ios, android') }),
        model: z.string().max(128).optional(),
        id: z.string(required).trim().min(1, 'is required').max(128).meta(notBlank),
        uicc: z.string().max(128).optional(),
        imei: z.string().max(32).optional(),
      },
      required,
    ),
    customer: z
      .object(
        {
          email: z.email({ error: (i) => (i.input === undefined ? 'is required' : 'is not a valid e-mail address') }),
          firstName: z.string().trim().min(1).max(128).meta(notBlank).optional(),
          lastName: z.string().trim().max(128).optional(),
          language: z.string().regex(/^[A-Z]{2}$/, 'must be a two-letter language code, e.g. EN').default('EN'),
          countryOfResidence: z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 country code, e.g. US').optional(),
        },
        required,
      )
      // Seed default: firstName equals the email.
      .transform((c) => ({ ...c, firstName: c.firstName ?? c.email })),
    esim: z.object({ iccid: iccid.optional() }).optional(),
  }, required)
  .superRefine((o, ctx) => {
    const topup = o.operationType === 'TOPUP' || o.operationType === 'TOPUP_ACTIVATION';
    if (topup && !o.esim?.iccid) ctx.addIssue({ code: 'custom', path: ['esim', 'iccid'], message: 'is required for a TOPUP' });
    if (topup && o.device.type === 'iot') {
      ctx.addIssue({ code: 'custom', path: ['device', 'type'], message: 'must be one of ios, android for a TOPUP' });
    }
    if (o.operationType === 'NEW_ESIM' && o.esim?.iccid) {
      ctx.addIssue({ code: 'custom', path: ['esim', 'iccid'], message: 'must not be sent for NEW_ESIM: the order provisions a new eSIM' });
    }
    if (o.operationType === 'BULK_ACTIVATION') bulkLimits(o.subscriptions, ctx);
    o.subscriptions.forEach((s, i) => {
      if (o.operationType === 'BULK_ACTIVATION' && !s.iccid) {
        ctx.addIssue({ code: 'custom', path: ['subscriptions', i, 'iccid'], message: 'is required for BULK_ACTIVATION' });
      }
      if (o.operationType !== 'BULK_ACTIVATION' && s.iccid) {
        ctx.addIssue({ code: 'custom', path: ['subscriptions', i, 'iccid'], message: 'is only allowed for BULK_ACTIVATION' });
      }
    });
  })
  .meta({ allOf: OPERATION_TYPE_RULES });

export const EsimOrderBodySchema = z.object({ input: EsimOrderInputSchema }, required);
export type EsimOrderBody = z.infer<typeof EsimOrderBodySchema>;

export const EsimOrderAcceptedSchema = z.object({ externalId: z.uuid(), status: z.literal('ACCEPTED') });

const ProfileSchema = z.object({ iccid: z.string(), matchingId: z.string(), smdpUrl: z.string() });

/** A NEW_ESIM's or TOPUP's plans; the order is COMPLETED once each is ACTIVE or SCHEDULED (booked). */
const SubscriptionStateSchema = z.object({
  productId: z.string(),
  activationDate: z.string().meta({ format: 'date-time' }),
  state: z.enum(['SCHEDULED', 'ACTIVE', 'CANCELLED', 'FAILED']).describe(
    'SCHEDULED: booked, starts at activationDate; then ACTIVE, or CANCELLED (an operator cancelled it before its date) or FAILED (the platform refused it). Never goes back; the order stays COMPLETED',
  ),
  reason: z.string().optional().describe('Why it was CANCELLED or FAILED'),
});

export const EsimOrderViewSchema = z.object({
  externalId: z.string(),
  status: z
    .enum(['ACCEPTED', 'IN_PROGRESS', 'COMPLETED', 'FAILED'])
    .describe('Never goes back. A NEW_ESIM or TOPUP is COMPLETED as soon as the eSIM is installable and every plan is ACTIVE or SCHEDULED for its activationDate'),
  output: z
    .union([
      ProfileSchema.extend({
        subscriptions: z
          .array(SubscriptionStateSchema)
          .optional()
          .describe('One per subscription of the order, in request order (absent on orders completed before plans were reported)'),
      }),
      z.array(
        ProfileSchema.partial().extend({
          iccid: z.string(),
          status: z.enum(['ACTIVATED', 'FAILED', 'ROLLED_BACK', 'NOT_ATTEMPTED']),
          reason: z.string().optional(),
        }),
      ),
    ])
    .optional(),
  reason: z.string().optional(),
});
