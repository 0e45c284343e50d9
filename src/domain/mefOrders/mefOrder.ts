import { itemStateOf, type MefItemState, type MefOrderStatus, type OrderItemState } from './lifecycle';

/**
 * What a MEF order is (seed 003): the buyer's order document, the view a buyer reads and
 * each item's progress. Its lifecycle is in ./lifecycle.ts; the workflow's messages are in
 * src/workflows/mefOrders/contract.ts.
 */

/** The parts of seed 003's order the workflow reads; the rest travels untouched. */
export interface MefOrderItem {
  objectType: 'orderItem';
  orderItemReference: string;
  action: string;
  quantity: number;
  orderItemDetail: {
    objectType: 'accessEplProductOrder' | 'uniProductOrder';
    productSpecification?: string | { code: string; [k: string]: unknown } | undefined;
    enniReference?: { sellerEnniId: string; [k: string]: unknown } | undefined;
    buyerUniId?: string | undefined;
    buyerOvcId?: string | undefined;
    [k: string]: unknown;
  };
}

export interface MefOrderDocument {
  objectType: 'order';
  buyerId: string;
  sellerId: string;
  buyerPurchaseOrderNumber: string;
  orderDate?: string | undefined;
  orderType: string;
  requestedStartDate?: string | undefined;
  orderItems: MefOrderItem[];
  [k: string]: unknown;
}

/** What GET /orders/{id} answers and the `status` query returns. */
export type MefOrderView = MefOrderDocument & {
  id: string;
  link: { href: string };
  orderStatus: MefOrderStatus;
  buyerOrderVersion: string;
} & Partial<SellerPlan>;

/**
 * The seller's plan on the order (absent from orders written before plans existed). While the
 * order is open, `expectedCompletionDate` is when its steps' plans end it; once a step overran
 * its plan the order is in jeopardy, and stays so: the plan was missed.
 */
export interface SellerPlan {
  expectedCompletionDate?: string;
  jeopardy: boolean;
  jeopardyReason?: string;
}

/** The fields of a view only the seller sets: a GET answer sent back as a PUT may carry them, and they are ignored. */
export const SELLER_FIELDS = ['id', 'link', 'orderStatus', 'buyerOrderVersion', 'stateChange', 'expectedCompletionDate', 'jeopardy', 'jeopardyReason'] as const;

export interface OrderItemProgress {
  orderItemReference: string;
  state: OrderItemState;
  message?: string | undefined;
}

export interface ActionAnswer {
  id: string;
  orderStatus: MefOrderStatus;
  statusMessage: string;
}

export type NotificationType = 'ORDER_STATE_CHANGE' | 'ORDER_UPDATE' | 'BUYER_NOTE' | 'STATUS_RESPONSE' | 'UPSTREAM_STATUS_RESPONSE';

/** An order item as the buyer reads it: the buyer's item and, set by the seller, its state. */
export type MefOrderItemView = MefOrderItem & { state: MefItemState };

/** The view with each item's own state (lifecycle.ts, itemStateOf), from the items' progress. */
export function withItemStates<V extends { orderStatus: MefOrderStatus; orderItems: MefOrderItem[] }>(view: V, progress: OrderItemProgress[]): V & { orderItems: MefOrderItemView[] } {
  const of = new Map(progress.map((p) => [p.orderItemReference, p.state]));
  return { ...view, orderItems: view.orderItems.map((item) => ({ ...item, state: itemStateOf(view.orderStatus, of.get(item.orderItemReference) ?? 'NOT_STARTED') })) };
}
