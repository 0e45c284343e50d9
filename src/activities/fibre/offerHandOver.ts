import { Context } from '@temporalio/activity';
import { ApplicationFailure, type Client, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import type { Orm } from '../../db/orm';
import { FibreInvoiceGroupSchema } from '../../db/entities';
import { inquiryViewOf } from '../../db/fibre/inquiryViews';
import {
  InquiryFailure,
  InquiryState,
  offerInquiryWorkflowId,
  placeOrderUpdate,
  SUCCESS_STATES,
} from '../../workflows/fibre/inquiryContract';
import type { OfferHandOver } from '../../workflows/fibre/orderContract';

/**
 * The fibre order's workflow takes its offer itself, so its POST is one
 * Update-with-Start like every family's. Decision: an activity sends the inquiry workflow's
 * existing `placeOrder` update with the worker's own client (the activity context's),
 * rather than a signal pair between the two workflows: the inquiry's validator stays
 * the one place that decides (this client's, succeeded, still valid, not ordered by
 * another order) and answers at once, the update is idempotent per orderId (a retried
 * activity gets the same offer), and recorded inquiry histories are unchanged.
 *
 * Refusals are answers, not errors: the workflow turns them into its submit update's
 * failure. Anything else (Temporal unreachable, a timeout) throws, and the activity is
 * retried.
 */

/** Bounds one placeOrder call below the activity's startToCloseTimeout, so a hung call ends as a retry. */
const PLACE_ORDER_DEADLINE_MS = 20_000;

const INQUIRY_REFUSALS: readonly string[] = [InquiryFailure.inquiryNotFound, InquiryFailure.notOrderable, InquiryFailure.offerExpired, InquiryFailure.alreadyOrdered];

export function createFibreOfferHandOverActivities(orm: Orm, clientOf: () => Client = () => Context.current().client) {
  return {
    /**
     * An order's own invoiceGroupId must be one of the client's groups (the impersonated
     * client's, when the token impersonates): checked before the offer is taken, so a wrong
     * group leaves the offer open for a corrected order. Another client's group is answered
     * like an unknown one, so ids do not leak. Undefined: the group is the client's.
     */
    async checkOrderInvoiceGroup({ tenantId, invoiceGroupId }: { tenantId: string; invoiceGroupId: string }): Promise<{ message: string } | undefined> {
      if (await orm.em.fork().findOne(FibreInvoiceGroupSchema, { invoiceGroupId, tenantId })) return undefined;
      return { message: `Invoice group ${invoiceGroupId} not found for this client` };
    },

    /** Asks the inquiry's own workflow for its offer; it alone decides whether it may be ordered. */
    async takeFibreOffer({ orderId, tenantId, inquiryId }: { orderId: string; tenantId: string; inquiryId: string }): Promise<OfferHandOver> {
      const client = clientOf();
      try {
        const offer = await client.withDeadline(Date.now() + PLACE_ORDER_DEADLINE_MS, () =>
          client.workflow.getHandle(offerInquiryWorkflowId(inquiryId)).executeUpdate(placeOrderUpdate, { args: [{ orderId, tenantId }] }),
        );
        return { taken: true, offer };
      } catch (err) {
        if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure && INQUIRY_REFUSALS.includes(err.cause.type ?? '')) {
          return { taken: false, type: err.cause.type!, message: err.cause.message };
        }
        // No inquiry workflow, or one that has ended: a failed inquiry, or an offer past its validity.
        if (err instanceof WorkflowNotFoundError) return { taken: false, ...(await whyNotOpen(orm, inquiryId, tenantId)) };
        throw err;
      }
    },
  };
}

/** The inquiry's workflow has ended (or never was): say which, from its read model. */
async function whyNotOpen(orm: Orm, inquiryId: string, tenantId: string): Promise<{ type: string; message: string }> {
  const view = await inquiryViewOf(orm, inquiryId, tenantId);
  if (!view) return { type: InquiryFailure.inquiryNotFound, message: `Inquiry ${inquiryId} not found for this client.` };
  if (!SUCCESS_STATES.includes(view.status.state as InquiryState)) {
    return {
      type: InquiryFailure.notOrderable,
      message: `Inquiry ${inquiryId} did not succeed (state ${view.status.state}); only a successful offer can be ordered.`,
    };
  }
  return { type: InquiryFailure.offerExpired, message: `The offer of inquiry ${inquiryId} was valid until ${view.offerValidUntilDate} and can no longer be ordered.` };
}

/** What the fibre order workflow calls to take its offer. */
export type FibreOfferHandOverActivities = ReturnType<typeof createFibreOfferHandOverActivities>;
