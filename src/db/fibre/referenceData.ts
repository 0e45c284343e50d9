import type { Orm } from '../orm';
import {
  FibreFrameworkAgreementRow,
  FibreFrameworkAgreementSchema,
  FibreInvoiceGroupRow,
  FibreInvoiceGroupSchema,
  FibrePointRow,
  FibrePointSchema,
  FibreProductRow,
  FibreProductSchema,
  FibreSupplierSchema,
} from '../entities';
import {
  Catalogue,
  FibreProduct,
  InvoiceAccounts,
  NetworkPoint,
  Price,
  PriceList,
  PriceRequest,
  PriceStatus,
  priceProduct,
  ProductName,
  UnavailableReason,
} from '../../domain/fibre/pricing';

/**
 * The fibre reference data as the domain sees it, read from the database. The API
 * (feasibility, availability, price estimate) and the offer-inquiry activities use
 * these, so a point or a price is read the same way everywhere.
 */

export function toNetworkPoint(row: FibrePointRow): NetworkPoint {
  return {
    pointId: row.pointId,
    address: {
      street: row.street,
      number: row.number,
      littera: row.littera,
      postalCode: row.postalCode,
      city: row.city,
      countryCode: row.countryCode,
    },
    building: { distinguisher: row.buildingDistinguisher, type: row.buildingType as NetworkPoint['building']['type'] },
    realEstate: { label: row.realEstateLabel, municipality: row.realEstateMunicipality },
    coordinate: { latitude: row.latitude, longitude: row.longitude, projection: row.projection },
    district: row.district,
    suppliers: JSON.parse(row.suppliersJson) as NetworkPoint['suppliers'],
    relatedPointIds: JSON.parse(row.relatedPointIdsJson) as string[],
    pointInfo: { name: row.pointId, type: row.pointType, aNode: row.aNode, oNode: row.oNode },
  };
}

export function toProduct(row: FibreProductRow): { product: FibreProduct; priceList: PriceList } {
  return {
    product: { productId: row.productId, supplier: row.supplier, name: row.name as ProductName },
    priceList: {
      productId: row.productId,
      establishmentFee: row.establishmentFee,
      oneTimeFeePerMeter: row.oneTimeFeePerMeter,
      monthlyFeeBase: row.monthlyFeeBase,
      monthlyFeePerKmPerFiber: row.monthlyFeePerKmPerFiber,
      minimumDistanceMeters: row.minimumDistanceMeters,
      buildingEntryFee: { AT_ADDRESS: row.buildingEntryFeeAtAddress, AT_SITE_BOUNDARY: row.buildingEntryFeeAtSiteBoundary },
      deliveryDaysBase: row.deliveryDaysBase,
    },
  };
}

export async function findPoint(orm: Orm, pointId: string): Promise<NetworkPoint | null> {
  const row = await orm.em.fork().findOne(FibrePointSchema, { pointId });
  return row ? toNetworkPoint(row) : null;
}

/** The points a request names, plus the connection nodes a Star product runs to. */
export async function pointsForRequest(orm: Orm, req: Pick<PriceRequest, 'from' | 'to' | 'redundancy'>): Promise<Map<string, NetworkPoint>> {
  const em = orm.em.fork();
  const ids = [req.from?.pointId, req.to?.pointId, req.redundancy.toPointId].filter((id): id is string => !!id);
  const points = new Map<string, NetworkPoint>();
  const load = async (wanted: string[]) => {
    const missing = [...new Set(wanted)].filter((id) => !points.has(id));
    if (!missing.length) return;
    for (const row of await em.find(FibrePointSchema, { pointId: { $in: missing } })) points.set(row.pointId, toNetworkPoint(row));
  };
  await load(ids);
  await load([...points.values()].map((p) => p.pointInfo.aNode).filter(Boolean));
  return points;
}

/** Every product with its price list, suppliers in their configured order. */
export async function loadCatalogue(orm: Orm): Promise<Catalogue> {
  const em = orm.em.fork();
  const suppliers = await em.find(FibreSupplierSchema, {}, { orderBy: { position: 'asc' } });
  const rank = new Map(suppliers.map((s, i) => [s.name, i]));
  const rows = await em.find(FibreProductSchema, {}, { orderBy: { name: 'asc', productId: 'asc' } });
  const parsed = rows.map(toProduct).sort((a, b) => (rank.get(a.product.supplier) ?? 99) - (rank.get(b.product.supplier) ?? 99));
  return {
    products: parsed.map((p) => p.product),
    priceLists: new Map(parsed.map((p) => [p.product.productId, p.priceList])),
  };
}

export type ClientAccountProblem = 'UNKNOWN_INVOICE_GROUP' | 'UNKNOWN_FRAMEWORK_AGREEMENT';

export interface ClientAccounts {
  invoiceGroup: FibreInvoiceGroupRow;
  frameworkAgreement: FibreFrameworkAgreementRow;
}

/**
 * The invoice group and framework agreement a request uses: the ones it names when
 * they are the client's own, else (empty or absent) the client's standard agreement
 * and first invoice group. Another client's id is treated exactly like an unknown
 * one so ids never leak between tenants.
 */
export async function resolveClientAccounts(
  orm: Orm,
  tenantId: string,
  ids: { invoiceGroupId?: string | null; frameworkAgreementId?: string | null },
): Promise<ClientAccounts | { problem: ClientAccountProblem; field: string; message: string }> {
  const em = orm.em.fork();
  const invoiceGroup = ids.invoiceGroupId
    ? await em.findOne(FibreInvoiceGroupSchema, { invoiceGroupId: ids.invoiceGroupId, tenantId })
    : (await em.find(FibreInvoiceGroupSchema, { tenantId }, { orderBy: { invoiceGroupNumber: 'asc' }, limit: 1 }))[0];
  if (!invoiceGroup) {
    return {
      problem: 'UNKNOWN_INVOICE_GROUP',
      field: 'invoiceGroupId',
      message: ids.invoiceGroupId ? `Invoice group ${ids.invoiceGroupId} not found for this client` : 'This client has no invoice group',
    };
  }
  const frameworkAgreement = ids.frameworkAgreementId
    ? await em.findOne(FibreFrameworkAgreementSchema, { frameworkAgreementId: ids.frameworkAgreementId, tenantId })
    : (await em.find(FibreFrameworkAgreementSchema, { tenantId }, { orderBy: { isStandard: 'desc', name: 'asc' }, limit: 1 }))[0];
  if (!frameworkAgreement) {
    return {
      problem: 'UNKNOWN_FRAMEWORK_AGREEMENT',
      field: 'frameworkAgreementId',
      message: ids.frameworkAgreementId
        ? `Framework agreement ${ids.frameworkAgreementId} not found for this client`
        : 'This client has no framework agreement',
    };
  }
  return { invoiceGroup, frameworkAgreement };
}

export interface OfferPricingInput extends PriceRequest {
  tenantId: string;
  invoiceGroupId?: string | null;
  frameworkAgreementId?: string | null;
  supplier: string;
  /** The product by GUID, or by name for the supplier when the GUID is empty. */
  productId?: string | null;
  productName?: ProductName | null;
  /** OFFER when an inquiry is answered (default), ESTIMATED otherwise. */
  priceStatus?: PriceStatus;
}

export type OfferPricing =
  | {
      ok: true;
      supplier: string;
      accounts: InvoiceAccounts;
      product: { productId: string; name: ProductName; price: Price };
      deliveryDurationDays: number;
      /** Non-empty when the supplier must validate the fibre status by hand. */
      comment: string;
    }
  | {
      ok: false;
      reason: UnavailableReason | ClientAccountProblem | 'UNKNOWN_PRODUCT';
      message: string;
      /** Resolved before the product failed; absent when the accounts themselves did. */
      accounts?: InvoiceAccounts;
    };

/**
 * Prices one supplier's product for an offer inquiry (section 4) with the same rules
 * as the price estimate. Never throws for a business reason: the answer says why a
 * product cannot be offered, and the inquiry turns that into DONE_FAILED.
 */
export async function priceOffer(orm: Orm, input: OfferPricingInput): Promise<OfferPricing> {
  const accounts = await resolveClientAccounts(orm, input.tenantId, input);
  if ('problem' in accounts) return { ok: false, reason: accounts.problem, message: accounts.message };
  const ids: InvoiceAccounts = { invoiceGroupId: accounts.invoiceGroup.invoiceGroupId, frameworkAgreementId: accounts.frameworkAgreement.frameworkAgreementId };
  const catalogue = await loadCatalogue(orm);
  const product = catalogue.products.find((p) =>
    input.productId ? p.productId === input.productId : p.supplier === input.supplier && p.name === input.productName,
  );
  if (!product || product.supplier !== input.supplier) {
    return { ok: false, reason: 'UNKNOWN_PRODUCT', message: `${input.supplier} has no product ${input.productId || input.productName || '(none named)'}`, accounts: ids };
  }
  const points = await pointsForRequest(orm, input);
  const priced = priceProduct(input, product, catalogue.priceLists.get(product.productId)!, {
    points,
    frameworkDiscountPercent: accounts.frameworkAgreement.discountPercent,
    priceStatus: input.priceStatus ?? 'OFFER',
  });
  if (priced.reason || !priced.quote.price) {
    return { ok: false, reason: priced.reason ?? 'NOT_AT_POINT', message: priced.quote.comment, accounts: ids };
  }
  return {
    ok: true,
    supplier: product.supplier,
    accounts: ids,
    product: { productId: product.productId, name: product.name, price: priced.quote.price },
    deliveryDurationDays: priced.deliveryDurationDays!,
    comment: priced.quote.comment,
  };
}
