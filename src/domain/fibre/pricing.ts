import { distanceMeters, type Coordinate } from './coordinates';

/**
 * The fibre price model (seed 002, sections 3 and 4) as pure functions: the price
 * estimate endpoint and the offer-inquiry workflow price with the same rules, and
 * nothing here does I/O, so workflow code may import it too.
 *
 * Contract for the rest of the family: the exported names below are stable; add,
 * do not rename.
 */

export const PRODUCT_NAMES = ['Point2Point', 'Star'] as const;
export type ProductName = (typeof PRODUCT_NAMES)[number];
export const PRODUCT_FILTERS = ['All', ...PRODUCT_NAMES] as const;
export type ProductFilter = (typeof PRODUCT_FILTERS)[number];

/** The API answers with these spellings; `NoReduncancy` (seed 002, section 4) is accepted on input. */
export const REDUNDANCY_TYPES = ['NoRedundancy', 'Normal', 'Full'] as const;
export type RedundancyType = (typeof REDUNDANCY_TYPES)[number];
export const REDUNDANCY_SPELLINGS: Readonly<Record<string, RedundancyType>> = {
  NoRedundancy: 'NoRedundancy',
  NoReduncancy: 'NoRedundancy',
  Normal: 'Normal',
  Full: 'Full',
};

/**
 * Seed 002 §4: an offer inquiry's redundancy is `'NoReduncancy', 'Normal'. (Full redundancy
 * not availible from price-api.)` Full is refused there with the seed's own sentence,
 * spelling and all; the price estimate (§3, "'Normal', 'Full'") still prices it.
 */
export const FULL_REDUNDANCY_REFUSAL = 'Full redundancy not availible from price-api.';
export const INQUIRY_REDUNDANCY_SPELLINGS = Object.keys(REDUNDANCY_SPELLINGS).filter((s) => REDUNDANCY_SPELLINGS[s] !== 'Full') as [string, ...string[]];

/**
 * The invoice information an inquiry is made under (seed 002 §4's invoiceGroupId and
 * frameworkAgreementId, resolved: the client's first group / standard agreement when it
 * named none). Kept with the inquiry, handed over with its offer, shown on the order (§5).
 */
export interface InvoiceAccounts {
  invoiceGroupId: string;
  frameworkAgreementId: string;
}

export const SERVICE_LEVELS = ['Base', 'Gold', 'Premium'] as const;
export type ServiceLevel = (typeof SERVICE_LEVELS)[number];
export const CUSTOMER_TYPES = ['Commercial', 'Residential'] as const;
export type CustomerType = (typeof CUSTOMER_TYPES)[number];
/** Seed 002: "1, 3 or 5 years (in months)". */
export const CONTRACT_PERIODS = [12, 36, 60] as const;
export type ContractPeriod = (typeof CONTRACT_PERIODS)[number];
export const FIBRE_STATUSES = ['IN_REAL_ESTATE', 'AT_ADDRESS', 'AT_SITE_BOUNDARY'] as const;
export type FibreStatus = (typeof FIBRE_STATUSES)[number];
export const PRICE_STATUSES = ['ESTIMATED', 'OFFER'] as const;
export type PriceStatus = (typeof PRICE_STATUSES)[number];

export type { Coordinate };

export interface Address {
  street: string;
  number: string;
  littera: string;
  postalCode: string;
  city: string;
  countryCode: string;
}

export interface PointSupplier {
  name: string;
  fiberStatus: FibreStatus;
  statusValidationRequired: boolean;
  /** Internal, never served: fibres the supplier can still deliver at this point. */
  freeFibers: number;
}

/** A network point as seed 002 section 1 shows it (plus the internal `freeFibers`). */
export interface NetworkPoint {
  pointId: string;
  address: Address;
  building: { distinguisher: string; type: 'MDU' | 'SDU' };
  realEstate: { label: string; municipality: string };
  coordinate: Coordinate;
  district: string;
  suppliers: PointSupplier[];
  relatedPointIds: string[];
  /** `type` N = connection node, H = apartment building, HK = house (our reading; the seed only lists the letters). */
  pointInfo: { name: string; type: string; aNode: string; oNode: string };
}

export interface FibreProduct {
  productId: string;
  supplier: string;
  name: ProductName;
}

/** One supplier's tariff for one product. Fees in SEK excluding VAT. */
export interface PriceList {
  productId: string;
  /** One-time fee per connected end (termination, documentation). */
  establishmentFee: number;
  /** One-time fee per metre of route (digging, blowing fibre). */
  oneTimeFeePerMeter: number;
  /** Monthly fee per connection, whatever its length. */
  monthlyFeeBase: number;
  /** Monthly fee per fibre and kilometre of route. */
  monthlyFeePerKmPerFiber: number;
  /** Shorter routes are charged as this long. */
  minimumDistanceMeters: number;
  /** One-time fee to bring fibre into a building that the supplier only reaches at the address or the site boundary. */
  buildingEntryFee: { AT_ADDRESS: number; AT_SITE_BOUNDARY: number };
  /** Days from order to delivery for a connection inside a real estate already reached. */
  deliveryDaysBase: number;
}

export interface NameValue {
  name: string;
  value: string;
}

export interface PriceItem {
  name: string;
  parameters: NameValue[];
  oneTimeFee: number;
  monthlyFee: number;
}

export interface Price {
  status: PriceStatus;
  oneTimeFee: number;
  monthlyFee: number;
  items: PriceItem[];
}

export interface PointRef {
  pointId: string;
  comment?: string;
}

/**
 * The request fields sections 3 and 4 share, with the seed's spellings normalised:
 * `NumberOfFiberPairs`/`noOfFiberPairs` → `noOfFiberPairs`, `noOfSingleFibers`/
 * `noOfSinglePairs` → `noOfSingleFibers`, `NoReduncancy` → `NoRedundancy`.
 */
export interface PriceRequest {
  from: PointRef | null;
  to: PointRef | null;
  redundancy: { type: RedundancyType; toPointId: string | null };
  customerType: CustomerType;
  serviceLevel: ServiceLevel;
  contractPeriodMonths: ContractPeriod;
  noOfFiberPairs: number;
  noOfSingleFibers: number;
}

export type ProductStatus = 'AVAILABLE' | 'NOT_AVAILABLE';

/** One product in the section 3 answer. `price` is null when the product cannot be delivered. */
export interface ProductQuote {
  productId: string;
  name: ProductName;
  status: ProductStatus;
  comment: string;
  items: NameValue[];
  subProducts: unknown[];
  price: Price | null;
  pricingMessage: string;
  optionalProducts: unknown[];
}

export interface SupplierQuote {
  supplier: string;
  products: ProductQuote[];
}

/** Why a product cannot be priced; the offer inquiry turns these into DONE_FAILED messages. */
export type UnavailableReason = 'UNKNOWN_POINT' | 'POINTS_MISMATCH' | 'NOT_AT_POINT' | 'NO_CAPACITY';

export interface PricedProduct {
  quote: ProductQuote;
  /** Days from order to delivery (section 4 `deliveryDurationDays`); null when not available. */
  deliveryDurationDays: number | null;
  /** Set when `quote.status` is NOT_AVAILABLE. */
  reason: UnavailableReason | null;
}

export interface PricingContext {
  /** Every point the request names (from, to, redundancy.toPointId) and the Star product's connection nodes. */
  points: ReadonlyMap<string, NetworkPoint>;
  /** The framework agreement's discount on monthly fees, 0–100. */
  frameworkDiscountPercent: number;
  /** ESTIMATED for price estimates; OFFER when an inquiry is answered. */
  priceStatus?: PriceStatus;
}

/** The rules' constants, named so tests and docs/fibre.md can quote them. */
export const PRICING_RULES = {
  redundancyFactor: { NoRedundancy: 0, Normal: 0.6, Full: 1 } as Record<RedundancyType, number>,
  serviceLevelMonthlySurcharge: { Base: 0, Gold: 0.25, Premium: 0.5 } as Record<ServiceLevel, number>,
  contractDiscount: {
    12: { oneTime: 0, monthly: 0 },
    36: { oneTime: 0.2, monthly: 0.1 },
    60: { oneTime: 0.4, monthly: 0.2 },
  } as Record<ContractPeriod, { oneTime: number; monthly: number }>,
  /** Swedish consumer prices are quoted including 25 % VAT; commercial prices exclude it. */
  residentialVat: 0.25,
  deliveryDays: { AT_ADDRESS: 10, AT_SITE_BOUNDARY: 30, perStartedKm: 2, manualValidation: 5, fullRedundancy: 10 },
} as const;

/** To öre, halves away from zero (so a discount rounds like the fee it mirrors); the epsilon absorbs binary noise such as 119.02499999. */
export function round2(n: number): number {
  const r = Math.round(Math.abs(n) * 100 + 1e-7) / 100;
  return n < 0 ? -r : r;
}

/** Fibres a request needs at each end: a pair is two. */
export function fibresOf(req: Pick<PriceRequest, 'noOfFiberPairs' | 'noOfSingleFibers'>): number {
  return req.noOfFiberPairs * 2 + req.noOfSingleFibers;
}

/** How many customer points a product connects: Point2Point two, Star one (to the supplier's node). */
export function pointsRequired(name: ProductName): 1 | 2 {
  return name === 'Star' ? 1 : 2;
}

/**
 * Prices one supplier's product for a request. Items are rounded to öre one by one
 * and the totals are their sums, so a client can add them up itself. The first rule
 * that refuses the product decides its unavailability reason, hence the order below.
 */
export function priceProduct(req: PriceRequest, product: FibreProduct, priceList: PriceList, ctx: PricingContext): PricedProduct {
  const fibres = fibresOf(req);
  const route = routeOf(product, req, ctx.points);
  if ('refusal' in route) return unavailable(product, route);
  const redundantEnd = redundantEndOf(req, route, ctx.points);
  if (redundantEnd && 'refusal' in redundantEnd) return unavailable(product, redundantEnd);
  const suppliers = suppliersWithCapacity(product, route, redundantEnd, fibres);
  if ('refusal' in suppliers) return unavailable(product, suppliers);

  const connection = connectionItem(req, route, priceList, fibres);
  const redundancy = redundancyItem(req, route, redundantEnd, priceList, fibres);
  const items = [
    connection.item,
    establishmentItem(route, priceList),
    ...buildingEntryItems(suppliers, priceList),
    ...(redundancy ? [redundancy.item] : []),
  ];
  // Each adjustment is a share of the items before it, so their order is part of the price.
  for (const adjustment of ADJUSTMENTS) {
    const adjusted = adjustment(items, req, ctx);
    if (adjusted) items.push(adjusted);
  }

  const needsValidation = pointsNeedingValidation(suppliers);
  const days = deliveryDurationDays(req, priceList, suppliers, Math.max(connection.distance, redundancy?.distance ?? 0), needsValidation);
  return available(product, ctx, items, connection.distance, days, needsValidation);
}

/** Why a rule refuses to price a product. */
interface Refusal {
  refusal: { reason: UnavailableReason; comment: string };
}

const refuse = (reason: UnavailableReason, comment: string): Refusal => ({ refusal: { reason, comment } });

interface Route {
  /** The customer's ends, in request order. */
  ends: NetworkPoint[];
  /** From where to where the fibre runs: both ends, or the end and its connection node. */
  a: NetworkPoint;
  b: NetworkPoint;
}

/** A customer end and the product's supplier there. */
interface EndSupplier {
  end: NetworkPoint;
  s: PointSupplier;
}

function unavailable(product: FibreProduct, { refusal: { reason, comment } }: Refusal): PricedProduct {
  return {
    quote: { ...baseQuote(product), status: 'NOT_AVAILABLE', comment, pricingMessage: comment },
    deliveryDurationDays: null,
    reason,
  };
}

function baseQuote(product: FibreProduct): ProductQuote {
  return {
    productId: product.productId,
    name: product.name,
    status: 'AVAILABLE',
    comment: '',
    items: [],
    subProducts: [],
    price: null,
    pricingMessage: '',
    optionalProducts: [],
  };
}

/** Rule: the route runs between the request's points (Point2Point) or from its one point to that point's connection node (Star). */
function routeOf(product: FibreProduct, req: PriceRequest, points: ReadonlyMap<string, NetworkPoint>): Route | Refusal {
  const refs = [req.from, req.to].filter((r): r is PointRef => !!r);
  if (refs.length !== pointsRequired(product.name)) {
    return refuse('POINTS_MISMATCH', `${product.name} connects ${pointsRequired(product.name) === 1 ? 'one point' : 'two points'}; the request names ${refs.length}`);
  }
  const ends: NetworkPoint[] = [];
  for (const ref of refs) {
    const p = points.get(ref.pointId);
    if (!p) return refuse('UNKNOWN_POINT', `Point ${ref.pointId} is not in the network`);
    ends.push(p);
  }
  if (product.name === 'Point2Point') return { ends, a: ends[0]!, b: ends[1]! };
  // Star: the point is connected to its connection node; a point without one is its own node.
  const end = ends[0]!;
  const node = points.get(end.pointInfo.aNode) ?? end;
  return { ends, a: end, b: node };
}

/**
 * Rule: a redundant route ends at redundancy.toPointId when given, else at the same
 * far end by another path; null without redundancy.
 */
function redundantEndOf(req: PriceRequest, route: Route, points: ReadonlyMap<string, NetworkPoint>): NetworkPoint | null | Refusal {
  if (PRICING_RULES.redundancyFactor[req.redundancy.type] <= 0) return null;
  const end = req.redundancy.toPointId ? points.get(req.redundancy.toPointId) : route.b;
  return end ?? refuse('UNKNOWN_POINT', `Point ${req.redundancy.toPointId} is not in the network`);
}

/**
 * Rule: the supplier must be at every customer point with the request's fibres free
 * there, and a redundant route needs its own at every point it touches. Answers the
 * supplier at each end, which the fees and the delivery date depend on.
 */
function suppliersWithCapacity(product: FibreProduct, route: Route, redundantEnd: NetworkPoint | null, fibres: number): EndSupplier[] | Refusal {
  const demand = new Map<string, { end: NetworkPoint; fibres: number }>();
  const need = (end: NetworkPoint) => demand.set(end.pointId, { end, fibres: (demand.get(end.pointId)?.fibres ?? 0) + fibres });
  route.ends.forEach(need);
  if (redundantEnd) {
    need(route.a);
    // A Star's node is the supplier's own; only customer points are checked.
    if (redundantEnd !== route.b || product.name === 'Point2Point') need(redundantEnd);
  }
  const supplierAt = (end: NetworkPoint) => end.suppliers.find((s) => s.name === product.supplier);
  for (const { end, fibres: needed } of demand.values()) {
    const s = supplierAt(end);
    if (!s) return refuse('NOT_AT_POINT', `${product.supplier} has no fibre at ${end.pointId}`);
    if (s.freeFibers < needed) {
      return refuse('NO_CAPACITY', `No capacity: ${product.supplier} has ${s.freeFibers} free fibres at ${end.pointId}, ${needed} needed`);
    }
  }
  // Every end was in the demand, so the check above found its supplier.
  return route.ends.map((end) => ({ end, s: supplierAt(end)! }));
}

/** Rule: a route is never charged as shorter than the price list's minimum. */
function chargedDistance(distance: number, priceList: PriceList): number {
  return Math.max(distance, priceList.minimumDistanceMeters);
}

/** Rule: a route costs per metre once, and monthly a base fee plus per fibre and km. */
function connectionFees(priceList: PriceList, fibres: number, chargedMeters: number): { oneTime: number; monthly: number } {
  return {
    oneTime: priceList.oneTimeFeePerMeter * chargedMeters,
    monthly: priceList.monthlyFeeBase + (priceList.monthlyFeePerKmPerFiber * fibres * chargedMeters) / 1000,
  };
}

/** Rule: the connection is priced on the route's straight-line length, rounded to whole metres. */
function connectionItem(req: PriceRequest, route: Route, priceList: PriceList, fibres: number): { distance: number; item: PriceItem } {
  const distance = Math.round(distanceMeters(route.a.coordinate, route.b.coordinate));
  const charged = chargedDistance(distance, priceList);
  const fees = connectionFees(priceList, fibres, charged);
  return {
    distance,
    item: item(
      'Connection based on distance',
      [
        { name: 'distance', value: String(distance) },
        { name: 'chargedDistance', value: String(charged) },
        { name: 'noOfFiberPairs', value: String(req.noOfFiberPairs) },
        { name: 'noOfSingleFibers', value: String(req.noOfSingleFibers) },
      ],
      fees.oneTime,
      fees.monthly,
    ),
  };
}

/** Rule: one establishment fee per connected customer end. */
function establishmentItem(route: Route, priceList: PriceList): PriceItem {
  return item('Establishment', [{ name: 'connectedPoints', value: String(route.ends.length) }], priceList.establishmentFee * route.ends.length, 0);
}

/** Rule: a building entry fee at each end the supplier reaches only at the address or the site boundary. */
function buildingEntryItems(suppliers: EndSupplier[], priceList: PriceList): PriceItem[] {
  return suppliers.flatMap(({ end, s }) =>
    s.fiberStatus === 'IN_REAL_ESTATE' ? [] : [item(`Building entry at ${end.pointId}`, [{ name: 'fiberStatus', value: s.fiberStatus }], priceList.buildingEntryFee[s.fiberStatus], 0)],
  );
}

/** Rule: the redundant route costs the redundancy type's share of what it would cost as a connection of its own. */
function redundancyItem(
  req: PriceRequest,
  route: Route,
  redundantEnd: NetworkPoint | null,
  priceList: PriceList,
  fibres: number,
): { distance: number; item: PriceItem } | null {
  if (!redundantEnd) return null;
  const factor = PRICING_RULES.redundancyFactor[req.redundancy.type];
  const distance = Math.round(distanceMeters(route.a.coordinate, redundantEnd.coordinate));
  const second = connectionFees(priceList, fibres, chargedDistance(distance, priceList));
  return {
    distance,
    item: item(
      `Redundancy ${req.redundancy.type}`,
      [
        { name: 'toPointId', value: redundantEnd.pointId },
        { name: 'distance', value: String(distance) },
      ],
      second.oneTime * factor,
      second.monthly * factor,
    ),
  };
}

/** An adjustment prices itself from the (rounded) items before it; null when it does not apply. */
type Adjustment = (items: readonly PriceItem[], req: PriceRequest, ctx: PricingContext) => PriceItem | null;

/** Rule: a higher service level adds its share of the monthly fees. */
function serviceLevelSurcharge(items: readonly PriceItem[], req: PriceRequest): PriceItem | null {
  const surcharge = PRICING_RULES.serviceLevelMonthlySurcharge[req.serviceLevel];
  if (surcharge <= 0) return null;
  return item(`Service level ${req.serviceLevel}`, [{ name: 'serviceLevel', value: req.serviceLevel }], 0, sum(items, 'monthlyFee') * surcharge);
}

/** Rule: a longer contract period discounts both the one-time and the monthly fees, service level included. */
function contractPeriodDiscount(items: readonly PriceItem[], req: PriceRequest): PriceItem | null {
  const discount = PRICING_RULES.contractDiscount[req.contractPeriodMonths];
  if (!(discount.oneTime > 0 || discount.monthly > 0)) return null;
  return item(
    `Contract period ${req.contractPeriodMonths} months`,
    [{ name: 'contractPeriodMonths', value: String(req.contractPeriodMonths) }],
    -sum(items, 'oneTimeFee') * discount.oneTime,
    -sum(items, 'monthlyFee') * discount.monthly,
  );
}

/** Rule: the framework agreement discounts the monthly fees left after the contract discount. */
function frameworkAgreementDiscount(items: readonly PriceItem[], _req: PriceRequest, ctx: PricingContext): PriceItem | null {
  if (!(ctx.frameworkDiscountPercent > 0)) return null;
  return item(
    'Framework agreement discount',
    [{ name: 'discountPercent', value: String(ctx.frameworkDiscountPercent) }],
    0,
    (-sum(items, 'monthlyFee') * ctx.frameworkDiscountPercent) / 100,
  );
}

/** Rule: residential customers are quoted VAT on the discounted price, so it comes last. */
function residentialVat(items: readonly PriceItem[], req: PriceRequest): PriceItem | null {
  if (req.customerType !== 'Residential') return null;
  return item(
    'VAT 25 %',
    [{ name: 'customerType', value: 'Residential' }],
    sum(items, 'oneTimeFee') * PRICING_RULES.residentialVat,
    sum(items, 'monthlyFee') * PRICING_RULES.residentialVat,
  );
}

const ADJUSTMENTS: readonly Adjustment[] = [serviceLevelSurcharge, contractPeriodDiscount, frameworkAgreementDiscount, residentialVat];

/** Rule: a supplier's fibre status the supplier asks to check is validated by hand before delivery. */
function pointsNeedingValidation(suppliers: EndSupplier[]): string[] {
  return suppliers.filter(({ s }) => s.statusValidationRequired).map(({ end }) => end.pointId);
}

/**
 * Rule: delivery takes the list's base days, more for each end the fibre must first
 * be brought to, per started km of the longer route, for manual validation and for
 * full redundancy.
 */
function deliveryDurationDays(req: PriceRequest, priceList: PriceList, suppliers: EndSupplier[], longestRoute: number, needsValidation: string[]): number {
  const rules = PRICING_RULES.deliveryDays;
  return (
    priceList.deliveryDaysBase +
    suppliers.reduce((d, { s }) => d + (s.fiberStatus === 'IN_REAL_ESTATE' ? 0 : rules[s.fiberStatus]), 0) +
    Math.ceil(longestRoute / 1000) * rules.perStartedKm +
    (needsValidation.length ? rules.manualValidation : 0) +
    (req.redundancy.type === 'Full' ? rules.fullRedundancy : 0)
  );
}

function available(
  product: FibreProduct,
  ctx: PricingContext,
  items: PriceItem[],
  distance: number,
  deliveryDurationDays: number,
  needsValidation: string[],
): PricedProduct {
  return {
    quote: {
      ...baseQuote(product),
      comment: needsValidation.length ? `The fibre status at ${needsValidation.join(', ')} needs manual validation` : '',
      items: [
        { name: 'distance', value: String(distance) },
        { name: 'deliveryDurationDays', value: String(deliveryDurationDays) },
      ],
      price: {
        status: ctx.priceStatus ?? 'ESTIMATED',
        oneTimeFee: round2(sum(items, 'oneTimeFee')),
        monthlyFee: round2(sum(items, 'monthlyFee')),
        items,
      },
    },
    deliveryDurationDays,
    reason: null,
  };
}

function item(name: string, parameters: NameValue[], oneTimeFee: number, monthlyFee: number): PriceItem {
  return { name, parameters, oneTimeFee: round2(oneTimeFee), monthlyFee: round2(monthlyFee) };
}

const sum = (items: readonly PriceItem[], key: 'oneTimeFee' | 'monthlyFee') => items.reduce((s, i) => s + i[key], 0);

export interface Catalogue {
  products: FibreProduct[];
  priceLists: ReadonlyMap<string, PriceList>;
}

/**
 * Section 3: every product of every supplier that the filter lets through and that
 * fits the number of points named, grouped per supplier in catalogue order.
 */
export function priceEstimate(
  req: PriceRequest,
  selection: { products: ProductFilter; productId?: string | null },
  catalogue: Catalogue,
  ctx: PricingContext,
): SupplierQuote[] {
  const named = [req.from, req.to].filter(Boolean).length;
  const wanted = catalogue.products.filter(
    (p) =>
      (selection.productId ? p.productId === selection.productId : selection.products === 'All' || p.name === selection.products) &&
      (selection.productId || selection.products !== 'All' || pointsRequired(p.name) === named),
  );
  const bySupplier = new Map<string, ProductQuote[]>();
  for (const product of wanted) {
    const priceList = catalogue.priceLists.get(product.productId);
    if (!priceList) continue;
    const quotes = bySupplier.get(product.supplier) ?? [];
    quotes.push(priceProduct(req, product, priceList, ctx).quote);
    bySupplier.set(product.supplier, quotes);
  }
  return [...bySupplier].map(([supplier, products]) => ({ supplier, products }));
}
