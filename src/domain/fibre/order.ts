import type { InquiryProduct } from './inquiry';

/**
 * What a fibre order is (seed 002 §5): the order as the API accepted it, its states and
 * the view a partner reads. The workflow's messages are in src/workflows/fibre/orderContract.ts.
 */

/**
 * WAIT_DELIVERY while the supplier builds the connection (the seed's example shows a
 * state copied from the inquiry; we name the waiting state for what it is), then one
 * of the two final states the seed lists for the feed.
 */
export type OrderState = 'WAIT_DELIVERY' | 'DELIVERED' | 'REJECTED';

export interface Person {
  firstName: string;
  lastName: string;
  phoneNumber: string;
  email: string;
}

export interface EndCustomer extends Person {
  companyName?: string | undefined;
}

export interface FibreOrderRequest {
  inquiryId: string;
  responsiblePerson: Person;
  endCustomer: EndCustomer;
  /** Invoice this order to another of the client's groups than its inquiry's (checked by the order's workflow before it takes the offer). */
  invoiceGroupId?: string;
}

/** The seed's order body: what POST, GET and the `status` query return. */
export interface OrderView {
  orderId: string;
  inquiryId: string;
  supplier: string;
  product: InquiryProduct;
  status: {
    state: OrderState;
    message: string;
    orderDateTime: string;
    /** Null until done; then the instant the `orders` feed assigned (so GET and the feed agree). */
    doneDateTime: string | null;
  };
  /** Not in the seed's body: the delivered connection's id, null until delivered. */
  connectionId: string | null;
  responsiblePerson: Person;
  endCustomer: EndCustomer;
  /**
   * Seed 002 §5: the order completes the offer "with customer and invoice information":
   * the order's own invoiceGroupId, else its inquiry's; the inquiry's framework agreement.
   * Absent on orders placed before they were kept.
   */
  invoiceGroupId?: string | null;
  frameworkAgreementId?: string | null;
}

export type DeliveryOutcome = { delivered: true; connectionId: string; message?: string } | { delivered: false; message: string };
