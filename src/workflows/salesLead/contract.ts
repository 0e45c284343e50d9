import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';

/**
 * The sales-lead workflow's public contract: what the API, the ops CLI and the
 * Temporal UI may send to it. Nothing here may import worker-only code.
 */
export const SALES_LEAD_WORKFLOW_TYPE = 'salesLeadWorkflow';

export const salesLeadWorkflowId = (orderId: string): string => `sales-lead-${orderId}`;
export const orderIdFromWorkflowId = (workflowId: string): string => workflowId.replace(/^sales-lead-/, '');

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

export interface SalesLeadInput {
  orderId: string;
  tenantId: string;
  correlationId: string;
  /** Hash of the canonical request body: a reused Idempotency-Key with another body is refused. */
  requestHash: string;
  lead: SalesLead;
}

export interface SubmitLead {
  requestHash: string;
}

/** Sent with Update-with-Start; answers with the workflow's first decision. */
export const submitLeadUpdate = defineUpdate<LeadAnswer, [SubmitLead]>('submit');
export const approveSignal = defineSignal<[{ message?: string }]>('approve');
export const rejectSignal = defineSignal<[{ message: string }]>('reject');
export const statusQuery = defineQuery<LeadAnswer>('status');

/** ApplicationFailure types the API maps to HTTP statuses. */
export const LeadFailure = {
  idempotencyKeyReused: 'IdempotencyKeyReused',
  provisioningRejected: 'ProvisioningRejected',
} as const;
