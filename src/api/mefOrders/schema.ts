import { z } from 'zod';
import { SELLER_FIELDS, type MefOrderDocument } from '../../domain/mefOrders/mefOrder';
import { MEF_ITEM_STATES, MEF_ORDER_STATUSES, parseVersion } from '../../domain/mefOrders/lifecycle';
import { NOT_BLANK_PATTERN } from '../../domain/shared/textPatterns';

/**
 * Seed 003's order object. Every nested object carries its `objectType`
 * discriminator; objects are strict, so a misspelt field is a 400 naming it rather
 * than data silently dropped. Form is checked here; what needs the seller's data
 * (known ENNIs, product specifications) is the workflow's validation → REJECTED.
 */
const text = (max = 255) =>
  z.string().trim().min(1, 'is required').max(max, `must be at most ${max} characters`).meta({ pattern: NOT_BLANK_PATTERN });
const dateTime = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time with offset, e.g. 2016-10-01T13:20+01:00' });
const phone = z.string().regex(/^\+?[0-9][0-9 ()-]{5,24}$/, 'is not a valid telephone number (digits, optionally starting with +)');
const tag = <T extends string>(name: T) => z.literal(name, { message: `must be "${name}"` });
const VERSION = /^[0-9]{1,9}$/;
const VERSION_FORMAT = 'must be a version number such as "1"';
const upper = z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'must be an upper-case code such as PRODUCT_SPEC');

export const LinkSchema = z.strictObject({
  objectType: tag('link').optional(),
  href: z.string().min(1, 'is required').max(2048),
  rel: text(64).optional(),
  title: text().optional(),
  method: z.enum(['get', 'post', 'put', 'patch', 'delete']).optional(),
  type: text(128).optional(),
});

export const ResourceReferenceSchema = z.strictObject({
  objectType: tag('resourceReference'),
  id: text(128),
  type: upper,
  link: LinkSchema.optional(),
});

export const ProductSpecRefSchema = z.strictObject({
  objectType: tag('productSpecRef'),
  name: text().optional(),
  code: text(64),
  productSpecification: ResourceReferenceSchema.optional(),
});

export const ContactSchema = z.strictObject({
  objectType: tag('contact'),
  name: text(),
  telephoneNumber: phone,
  telephoneNumberExt: z.string().regex(/^[0-9]{1,10}$/, 'must be 1 to 10 digits').optional(),
  email: z.email('is not a valid e-mail address').optional(),
});

export const BillingInformationSchema = z.strictObject({
  objectType: tag('billingInformation'),
  existingBillingAccountNumber: text(64),
});

export const InformationRateQuantitySchema = z.strictObject({
  objectType: tag('informationRateQuantity'),
  amount: z.number().positive('must be positive'),
  units: z.enum(['bps', 'Kbps', 'Mbps', 'Gbps', 'Tbps']),
});

export const BandwidthProfileSchema = z.strictObject({
  objectType: tag('bandwidthProfile'),
  committedInformationRate: InformationRateQuantitySchema,
  committedBurstSize: z.number().int().min(0).optional(),
  excessInformationRate: InformationRateQuantitySchema.optional(),
  excessBurstSize: z.number().int().min(0).optional(),
  colorMode: z.enum(['COLOR_AWARE', 'COLOR_BLIND']).optional(),
  couplingFlag: z.boolean().optional(),
});

export const ExistingEnniReferenceSchema = z.strictObject({
  objectType: tag('existingEnniReference'),
  sellerEnniId: text(64),
  buyerEnniId: text(64).optional(),
});

export const OrderedUniReferenceSchema = z.strictObject({
  objectType: tag('orderedUniReference'),
  /** Must name a uniProductOrder item of the same order (checked on the order). */
  orderItemReference: text(32),
});

export const FormattedAddressSchema = z.strictObject({
  objectType: tag('formattedAddress'),
  addressLine1: text(),
  addressLine2: text().optional(),
  city: text(128),
  stateOrProvince: text(64).optional(),
  postcode: text(16).optional(),
  postcodeExtension: text(16).optional(),
  country: z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 country code').optional(),
});

export const ServiceSiteInformationSchema = z.strictObject({
  objectType: tag('serviceSiteInformation'),
  siteCompanyName: text().optional(),
  customerName: text().optional(),
  siteAddressType: z.enum(['FORMATTED_ADDRESS']),
  siteAddress: FormattedAddressSchema,
  additionalSiteInformation: text(1000).optional(),
});

/** The seed gives the EPL item a spec code and the UNI item a productSpecRef; both are accepted on both. */
const productSpecification = z.union([text(64), ProductSpecRefSchema], { message: 'must be a product specification code or a productSpecRef' });

export const AccessEplProductOrderSchema = z.strictObject({
  objectType: tag('accessEplProductOrder'),
  sellerOvcId: text(64).optional(),
  buyerOvcId: text(64).optional(),
  productSpecification: productSpecification.optional(),
  enniSvlanId: z.number().int().min(1).max(4094).optional(),
  enniSvlanIdLast: z.number().int().min(1).max(4094).optional(),
  mtuSize: z.number().int().min(1522).max(16000).optional(),
  colorForwardingEnabled: z.boolean().optional(),
  classOfService: text(32).optional(),
  enniReference: ExistingEnniReferenceSchema,
  enniSiteContact: ContactSchema.optional(),
  enniSiteAlternateContact: ContactSchema.optional(),
  enniIngressBandwidthProfile: BandwidthProfileSchema.optional(),
  uniReference: OrderedUniReferenceSchema,
  uniSiteContact: ContactSchema.optional(),
  uniSiteAlternateContact: ContactSchema.optional(),
  uniIngressBandwidthProfile: BandwidthProfileSchema.optional(),
});

export const UniProductOrderSchema = z.strictObject({
  objectType: tag('uniProductOrder'),
  sellerUniId: text(64).optional(),
  buyerUniId: text(64).optional(),
  productSpecification: productSpecification.optional(),
  physicalLayer: z.string().regex(/^[0-9]+[A-Z0-9_]*$/, 'must be a physical layer such as 10GBASE_SR').optional(),
  synchronousModeEnabled: z.boolean().optional(),
  numberOfLinks: z.number().int().min(1).max(16).optional(),
  uniResiliency: z.enum(['NONE', 'TWO_LINK_ACTIVE_STANDBY', 'ALL_ACTIVE', 'OTHER']).optional(),
  maxServiceFrameSize: z.number().int().min(1522).max(16000).optional(),
  tokenShareEnabled: z.boolean().optional(),
  serviceMultiplexingEnabled: z.boolean().optional(),
  bundlingEnabled: z.boolean().optional(),
  allToOneBundlingEnabled: z.boolean().optional(),
  linkOamEnabled: z.boolean().optional(),
  uniMegEnabled: z.boolean().optional(),
  elmiEnabled: z.boolean().optional(),
  uniL2cpAddressSet: z.enum(['CTA', 'CTB', 'CTB2']).optional(),
  serviceSiteInformation: ServiceSiteInformationSchema,
  primarySiteContact: ContactSchema,
  alternateSiteContact: ContactSchema.optional(),
});

export const OrderItemDetailSchema = z.discriminatedUnion('objectType', [AccessEplProductOrderSchema, UniProductOrderSchema], {
  message: 'objectType must be "accessEplProductOrder" or "uniProductOrder"',
});

export const OrderItemSchema = z.strictObject({
  objectType: tag('orderItem'),
  orderItemReference: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, 'must be 1 to 32 letters, digits, - or _'),
  action: z.enum(['INSTALL', 'CHANGE', 'DISCONNECT']),
  quantity: z.number().int().min(1).max(100),
  orderItemDetail: OrderItemDetailSchema,
  state: z.enum(MEF_ITEM_STATES).optional().describe('The item\'s own state, set by the seller (answers carry it; a body may, and it is ignored)'),
});

/** Set by the seller; a body may carry them (the seed's example does) and they are ignored. */
const READ_ONLY = {
  id: z.string().optional(),
  link: LinkSchema.optional(),
  orderStatus: z.enum(MEF_ORDER_STATUSES).optional(),
  // A GET answer sent back as a PUT carries the state history and the seller's plan too.
  stateChange: z.array(z.unknown()).optional(),
  expectedCompletionDate: z.string().optional(),
  jeopardy: z.boolean().optional(),
  jeopardyReason: z.string().optional(),
};

const OrderFields = z.strictObject({
  objectType: tag('order'),
  ...READ_ONLY,
  buyerId: text(128),
  sellerId: text(128),
  buyerPurchaseOrderNumber: text(64),
  /** The version the buyer believes it is changing; a stale one is 409 on PUT/PATCH (a stale If-Match is 412). */
  buyerOrderVersion: z.string().regex(VERSION, VERSION_FORMAT).optional(),
  orderDate: dateTime.optional(),
  orderActivity: z.enum(['INSTALL', 'CHANGE', 'DISCONNECT']),
  desiredResponses: z.enum(['CONFIRMATION_ONLY', 'CONFIRMATION_AND_ENGINEERING_DESIGN']),
  projectId: text(64).optional(),
  requestedCompletionDate: dateTime,
  requestedStartDate: dateTime.optional(),
  priority: z.number().int().min(1).max(10).optional(),
  billingInfo: BillingInformationSchema,
  buyerOrderContact: ContactSchema,
  buyerImplementationContact: ContactSchema.optional(),
  buyerTechnicalContact: ContactSchema.optional(),
  pricingMethod: z.enum(['CONTRACT', 'TARIFF', 'ICB']).optional(),
  pricingReference: text(64).optional(),
  pricingTerm: z.number().int().min(0).max(120).optional(),
  promotionId: text(64).optional(),
  orderType: z.enum(['ACCESS_EPL', 'ACCESS_EVPL', 'UNI']),
  notes: text(4000).optional(),
  serviceabilityResponse: ResourceReferenceSchema.optional(),
  orderItems: z
    .array(OrderItemSchema)
    .min(1, 'must contain at least one order item')
    .max(50)
    // OrderSchema's superRefine: JSON Schema cannot relate one item to another, so it is said here in words.
    .meta({
      description:
        'Each item\'s orderItemReference is unique in the order; an accessEplProductOrder\'s uniReference.orderItemReference names a uniProductOrder item of the same order.',
    }),
});

export const OrderSchema = OrderFields.superRefine((order, ctx) => {
  const seen = new Map<string, string>();
  order.orderItems.forEach((item, i) => {
    if (seen.has(item.orderItemReference)) {
      ctx.addIssue({ code: 'custom', path: ['orderItems', i, 'orderItemReference'], message: `duplicates the reference of another order item ("${item.orderItemReference}")` });
    }
    seen.set(item.orderItemReference, item.orderItemDetail.objectType);
  });
  order.orderItems.forEach((item, i) => {
    const detail = item.orderItemDetail;
    if (detail.objectType !== 'accessEplProductOrder') return;
    const ref = detail.uniReference.orderItemReference;
    const kind = seen.get(ref);
    if (kind !== 'uniProductOrder') {
      ctx.addIssue({
        code: 'custom',
        path: ['orderItems', i, 'orderItemDetail', 'uniReference', 'orderItemReference'],
        message: kind ? `names order item "${ref}", which is not a uniProductOrder` : `names no order item of this order ("${ref}")`,
      });
    }
  });
}) satisfies z.ZodType<MefOrderDocument>; // held to the domain's shape the workflow and the seller read

export type MefOrderBody = z.infer<typeof OrderSchema>;

/** What GET, POST, PUT and PATCH answer: the stored order with the seller's fields filled in. */
export const OrderViewSchema = OrderFields.extend({
  id: z.string(),
  link: z.object({ href: z.string() }),
  orderStatus: z.enum(MEF_ORDER_STATUSES),
  buyerOrderVersion: z.string(),
  expectedCompletionDate: z
    .string()
    .optional()
    .describe('While the order is open: when the seller plans to complete it, from each step\'s plan; time the order is held or waits for the buyer moves it on'),
  jeopardy: z.boolean().describe('A fulfilment step overran its plan (held time excluded): the order may be late. It stays true once set'),
  jeopardyReason: z.string().optional().describe('Which step of which order item overran its plan'),
});

/** One change of the order's state (GET /orders/{id}): from the order's ORDER_STATE_CHANGE notifications, so the two always agree. */
export const StateChangeSchema = z.object({
  fromState: z.enum(MEF_ORDER_STATUSES).nullable().describe('null for the first state the order entered'),
  state: z.enum(MEF_ORDER_STATUSES),
  changeDate: z.string().describe('When the change was recorded (its notification\'s createdAt)'),
  changeReason: z.string().describe('The reason the buyer or operator gave, else the seller\'s status message'),
  changedBy: z.enum(['buyer', 'seller', 'operator']),
  notificationId: z.string().describe('The ORDER_STATE_CHANGE notification that told the buyer'),
});

/** GET /orders/{id}: the order and how its state got there, oldest change first. */
export const OrderWithHistorySchema = OrderViewSchema.extend({ stateChange: z.array(StateChangeSchema) });

const SELLER_FIELD = 'is set by the seller and cannot be patched (use /cancel, /hold, /release for the status)';
const sellerField = z.never({ error: SELLER_FIELD }).optional();

/**
 * A merge patch (RFC 7396): any JSON object, except that it cannot name the seller's
 * fields (the patch itself is wrong: 400). The order it makes is checked by OrderSchema
 * after merging, and an invalid one is an unprocessable patch (422), not a bad request.
 */
export const MergePatchSchema = z
  .looseObject(
    {
      ...Object.fromEntries(SELLER_FIELDS.filter((f) => f !== 'buyerOrderVersion').map((f) => [f, sellerField])),
      buyerOrderVersion: z.string({ error: VERSION_FORMAT }).regex(VERSION, VERSION_FORMAT).optional(),
    },
    { error: 'must be a JSON object (RFC 7396 merge patch)' },
  )
  .describe('Only the fields to change; null removes one. The merged order must be a valid order (else 422).');

/**
 * If-Match on PUT and PATCH: the version the change is made against, as the ETag gives
 * it ("2"; unquoted and weak forms are read alike).
 */
export const IfMatchHeader = z
  .string()
  .regex(/^(?:W\/)?"?[0-9]{1,9}"?$/, 'must be the order\'s buyerOrderVersion, e.g. "2"')
  .transform((v) => parseVersion(v)!)
  .optional()
  .describe('The buyerOrderVersion the change is made against, as ETag gives it ("2"); a stale one is 412. Without it, the body\'s buyerOrderVersion (a stale one is 409), else the current version.');

export const OrderListSchema = z.object({
  link: z.object({ href: z.string() }),
  available: z.number().int(),
  returned: z.number().int(),
  items: z.array(OrderViewSchema),
});

/** GET /orders: every filter an exact match, ANDed; newest orderDate first. */
export const ListQuerySchema = z.strictObject({
  buyerId: text(128).optional().describe('Exact match'),
  sellerId: text(128).optional().describe('Exact match'),
  orderStatus: z.enum(MEF_ORDER_STATUSES).optional().describe('One of the lifecycle states, e.g. IN_PROGRESS'),
  buyerPurchaseOrderNumber: text(64).optional().describe('Exact match'),
  orderType: z.enum(['ACCESS_EPL', 'ACCESS_EVPL', 'UNI']).optional().describe('Exact match'),
  orderDateFrom: dateTime.optional().describe('ISO 8601 with offset; orderDate on or after'),
  orderDateTo: dateTime.optional().describe('ISO 8601 with offset; orderDate on or before'),
  offset: z.coerce.number().int().min(0, 'must be 0 or more').default(0).describe('Items to skip'),
  limit: z.coerce.number().int().min(1, 'must be 1 or more').max(1000, 'must be at most 1000').default(100).describe('Page size'),
});

/** Seed 003's status query string: any one of them identifies the order. */
export const StatusQuerySchema = z.strictObject({
  orderId: text(64).optional().describe('The order id'),
  buyerId: text(128).optional().describe('The buyer\'s id'),
  sellerId: text(128).optional().describe('The seller\'s id'),
  buyerPurchaseOrderNumber: text(64).optional().describe('The buyer\'s purchase order number'),
});

export const OrderItemProgressSchema = z.object({
  orderItemReference: z.string(),
  state: z.string(),
  message: z.string().optional(),
});

export const OrderStatusSchema = z.object({
  objectType: z.literal('orderStatus'),
  orderId: z.string(),
  buyerId: z.string(),
  sellerId: z.string(),
  buyerPurchaseOrderNumber: z.string(),
  buyerOrderVersion: z.string(),
  orderStatus: z.enum(MEF_ORDER_STATUSES),
  statusMessage: z.string(),
  orderItems: z.array(OrderItemProgressSchema),
  lastUpdated: z.string(),
});

export const ActionBodySchema = z.strictObject({ reason: text(1000).optional() });

export const ActionAnswerSchema = z.object({ id: z.string(), orderStatus: z.enum(MEF_ORDER_STATUSES), statusMessage: z.string() });

export const BuyerNoteSchema = z.strictObject({
  objectType: tag('notification').optional(),
  note: text(4000),
});

export const StatusRequestSchema = StatusQuerySchema.extend({ objectType: tag('orderStatusRequest').optional() })
  .refine((q) => q.orderId ?? q.buyerPurchaseOrderNumber ?? q.buyerId ?? q.sellerId, {
    message: 'name the order with at least one of orderId, buyerId, sellerId, buyerPurchaseOrderNumber',
    path: ['orderId'],
  })
  .meta({
    anyOf: ['orderId', 'buyerId', 'sellerId', 'buyerPurchaseOrderNumber'].map((field) => ({ required: [field] })),
    description: 'Names the order with at least one of orderId, buyerId, sellerId, buyerPurchaseOrderNumber',
  });

export const StatusRequestAnswerSchema = z.object({ requestId: z.string(), orderId: z.string(), state: z.literal('ACCEPTED') });

/** A status response from an upstream seller about an order this service placed with it. */
export const StatusResponseSchema = z.strictObject({
  objectType: tag('orderStatusResponse').optional(),
  responseId: text(128),
  orderId: text(64),
  sellerId: text(128).optional(),
  orderStatus: z.enum(MEF_ORDER_STATUSES),
  statusMessage: text(4000).optional(),
  statusDate: dateTime.optional(),
});

export const NotificationSchema = z.object({
  objectType: z.literal('notification'),
  id: z.string(),
  orderId: z.string(),
  notificationType: z.enum(['ORDER_STATE_CHANGE', 'ORDER_UPDATE', 'BUYER_NOTE', 'STATUS_RESPONSE', 'UPSTREAM_STATUS_RESPONSE']),
  orderStatus: z.enum(MEF_ORDER_STATUSES),
  buyerOrderVersion: z.string(),
  message: z.string(),
  createdAt: z.string(),
  // NOT_APPLICABLE: what the buyer or an upstream seller sent us is not delivered to anyone.
  delivery: z.enum(['PENDING', 'DELIVERED', 'NO_ENDPOINT', 'NOT_DELIVERED', 'NOT_APPLICABLE']),
  deliveredAt: z.string().nullable(),
  deliveryAttempts: z.number().int(),
  detail: z.record(z.string(), z.unknown()).optional(),
});

export const NotificationListSchema = z.object({
  link: z.object({ href: z.string() }),
  available: z.number().int(),
  returned: z.number().int(),
  items: z.array(NotificationSchema),
});
