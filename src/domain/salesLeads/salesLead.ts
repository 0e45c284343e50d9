/**
 * What a sales lead is (seed 000): the lead as the API accepted it, its stages and
 * the answer a partner reads. The workflow's messages are in
 * src/workflows/salesLeads/contract.ts; these shapes sit below every layer that uses them.
 */

/** The seed's 200 statuses. */
export type LeadStatus = 'RECEIVED' | 'ACTIVATED' | 'REJECT';

/**
 * Where the workflow is; finer than the public status and what the `OrderStatus`
 * search attribute shows ops. Public status per stage: ASSESSING, IN_REVIEW,
 * SCHEDULED, PROVISIONING → RECEIVED; ACTIVATED → ACTIVATED; REJECTED → REJECT.
 */
export type LeadStage = 'ASSESSING' | 'IN_REVIEW' | 'SCHEDULED' | 'PROVISIONING' | 'ACTIVATED' | 'REJECTED';

export interface LeadAnswer {
  status: LeadStatus;
  message: string;
  orderId: string;
}

export interface SalesLeadProduct {
  productId: string;
  offeringId: string;
}

/** The lead as the API parsed it; the workflow input carries it whole. */
export interface SalesLead {
  accessId: string;
  coId: string;
  orderDateTime: string;
  requestedDateTime?: string | undefined;
  products: SalesLeadProduct[];
  customerDetails: {
    identifiedCustomer: boolean;
    personalIdentityNumber?: string | undefined;
    customerFirstname: string;
    customerLastName: string;
    customerPhone?: string | undefined;
    customerMobilePhone?: string | undefined;
    customerEmail?: string | undefined;
    invoiceDetails?:
      | {
          streetName: string;
          streetNumber?: string | undefined;
          streetLittera?: string | undefined;
          postalCode: string;
          city: string;
        }
      | undefined;
  };
}
