import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  log,
  patched,
  setCurrentDetails,
  setHandler,
} from '@temporalio/workflow';
import { ApplicationFailureCategory } from '@temporalio/common';
import { DAY_MS, fibreOfferHandOver, fibreSupplierActivities } from './activityPresets';
import { ownDatabase } from '../shared/activityPresets';
import { answerSubmit } from '../shared/submitUpdate';
import { opsDesk } from '../shared/opsActions';
import { parsedOrRefused } from '../shared/opsInput';
import { NEEDS_OPERATOR, supplierOrOperator } from './supplierOrOperator';
import { trackedStage } from '../shared/stage';
import { allows, refusedMove } from '../../domain/shared/lifecycle';
import { FIBRE_ORDER_LIFECYCLE } from '../../domain/fibre/orderLifecycle';
import {
  DeliveryOutcome,
  DeliverOrder,
  deliverOrderUpdate,
  deliverSignal,
  FibreOrderInput,
  FibreOrderSettings,
  ORDER_REFUSED,
  ORDER_TAKING_OFFER,
  OrderFailure,
  OrderState,
  orderStatusQuery,
  OrderView,
  RejectOrder,
  rejectOrderSignal,
  rejectOrderUpdate,
  submitOrderUpdate,
} from './orderContract';
import type { OfferForOrder } from './inquiryContract';
import type { FibreActivities } from '../../activities/fibre/activities';
import type { FibreOfferHandOverActivities } from '../../activities/fibre/offerHandOver';
import { publicIdWrite } from '../shared/sameRequest';

const db = ownDatabase<FibreActivities & FibreOfferHandOverActivities>();
/** Runs started before the lifecycle table was enforced replay as they ran. */
const LIFECYCLE_ENFORCED = 'fibre-order-lifecycle-table-enforced';
/**
 * Runs started since take their offer themselves (takeOffer below); those started
 * before were handed it in their input by the API, and replay as they ran.
 */
const TAKES_ITS_OFFER = 'fibre-order-takes-its-offer';
// A delivery is days away; the supplier may be unreachable for a while in between.
const supplier = fibreSupplierActivities('7 days', '30m');

/**
 * One fibre order (seed 002, section 5): takes its offer from the inquiry's workflow
 * (or is refused, and its run fails on purpose), then waits for delivery — the ops
 * signals `deliver` / `reject`, or the supplier once `deliveryDurationDays` have passed
 * (a durable timer) — and appends the final state to the `orders` feed.
 */
export async function fiberOrderWorkflow(input: FibreOrderInput, settings: FibreOrderSettings): Promise<OrderView> {
  const { orderId, tenantId, correlationId, order } = input;
  // An input that carries its offer was placed by an older API that took it before the start.
  const takesItsOffer = patched(TAKES_ITS_OFFER) && input.offer === undefined;
  let offer: OfferForOrder | undefined = takesItsOffer ? undefined : input.offer;
  // Why the offer may not be ordered: the submit update fails with it, then the run.
  let refused: ApplicationFailure | undefined;
  let outcome: DeliveryOutcome | undefined;
  let recorded = false;
  const placedView = (offer: OfferForOrder): OrderView => ({
    orderId,
    inquiryId: order.inquiryId,
    supplier: offer.supplier,
    product: offer.product,
    status: { state: 'WAIT_DELIVERY', message: `The order is placed; delivery is expected within ${offer.deliveryDurationDays} days.`, orderDateTime: new Date().toISOString(), doneDateTime: null },
    connectionId: null,
    responsiblePerson: order.responsiblePerson,
    endCustomer: order.endCustomer,
    invoiceGroupId: order.invoiceGroupId ?? offer.invoiceGroupId ?? null,
    frameworkAgreementId: offer.frameworkAgreementId ?? null,
  });
  // Set once the offer is taken (at once for a run handed its offer); nothing reads it before.
  let view: OrderView = offer ? placedView(offer) : (undefined as never);

  setHandler(orderStatusQuery, () => {
    if (!offer) throw new Error(refused ? `Order ${orderId} was refused: ${refused.message}` : `Order ${orderId} is taking its offer from inquiry ${order.inquiryId}.`);
    return view;
  });
  answerSubmit(submitOrderUpdate, {
    requestHash: input.requestHash,
    what: `order (orderId ${orderId})`,
    ready: () => recorded || refused !== undefined,
    answer: () => {
      if (refused) throw refused;
      return view;
    },
  });
  const ops = opsDesk({ family: 'fibre', publicId: orderId, state: () => (offer ? view.status.state : refused ? ORDER_REFUSED : ORDER_TAKING_OFFER) });
  const undecided = () =>
    !offer
      ? `the order is not placed${refused ? ' (it was refused)' : ' yet (it is taking its offer)'}`
      : outcome
        ? `the order is already ${view.status.state === 'WAIT_DELIVERY' ? 'decided' : view.status.state}`
        : undefined;
  const concluded = () => view.status.state !== 'WAIT_DELIVERY';
  ops.action(
    {
      action: 'deliver',
      schema: DeliverOrder,
      refusal: undecided,
      apply: ({ connectionId, message }) => {
        outcome = { delivered: true, connectionId: connectionId || offer?.connectionId || `CONN-${orderId.slice(0, 8).toUpperCase()}`, message };
      },
      settled: concluded,
      why: (i) => i.message,
    },
    deliverSignal,
    deliverOrderUpdate,
  );
  ops.action(
    {
      action: 'reject',
      schema: RejectOrder,
      refusal: undecided,
      apply: ({ message }) => {
        outcome = { delivered: false, message };
      },
      settled: concluded,
      why: (i) => i.message,
    },
    rejectOrderSignal,
    rejectOrderUpdate,
  );

  const stage = trackedStage<OrderState>('WAIT_DELIVERY');

  /**
   * The hand-over, here rather than in the API, so a POST is one Update-with-Start like
   * every family's. The invoice group
   * first, so a wrong one leaves the offer open for a corrected order; then the inquiry's
   * workflow decides whether its offer may be ordered (src/activities/fibre/offerHandOver.ts).
   * A refusal is BENIGN: the client was answered, nothing failed.
   */
  async function takeOffer(): Promise<OfferForOrder | ApplicationFailure> {
    const refusal = (message: string, type: string) => ApplicationFailure.create({ message, type, nonRetryable: true, category: ApplicationFailureCategory.BENIGN });
    ops.waitingFor(`the offer of inquiry ${order.inquiryId}: its workflow (offer-inquiry-${order.inquiryId}) decides whether it may be ordered.`);
    if (order.invoiceGroupId) {
      const unknown = await db.checkOrderInvoiceGroup({ tenantId, invoiceGroupId: order.invoiceGroupId });
      if (unknown) return refusal(unknown.message, OrderFailure.invoiceGroupNotFound);
    }
    const taken = await fibreOfferHandOver.takeFibreOffer({ orderId, tenantId, inquiryId: order.inquiryId });
    return taken.taken ? taken.offer : refusal(taken.message, taken.type);
  }

  if (!offer) {
    const taken = await takeOffer();
    if (taken instanceof ApplicationFailure) {
      refused = taken;
      stage.flag(ORDER_REFUSED);
      ops.waitingFor('');
      setCurrentDetails(`**Refused**, not an incident: ${taken.message} The client was answered with this reason; nothing was ordered, and the same or a corrected order may be sent again.`);
      await condition(allHandlersFinished);
      await ops.written();
      // Failed, not completed: the start's ALLOW_DUPLICATE_FAILED_ONLY lets a retry (the same
      // request, the inquiry may have been answered since; or a corrected one) start a new run.
      throw refused;
    }
    offer = taken;
    view = placedView(offer);
  }

  stage.set('WAIT_DELIVERY');
  await db.recordOrder({ orderId, tenantId, correlationId, inquiryId: order.inquiryId, view, publicId: publicIdWrite(input, false) });
  recorded = true;

  // A durable timer of deliveryDurationDays (divided by the demo speed-up): the
  // supplier's default delivery, unless an operator decides first.
  const waitMs = Math.max(1, Math.round((offer.deliveryDurationDays * DAY_MS) / settings.deliverySpeedUp));
  ops.waitingFor(
    `delivery: the supplier delivers by ${new Date(Date.now() + waitMs).toISOString()} unless an operator sends deliver or reject first.`,
  );
  const decidedByOps = await condition(() => outcome !== undefined, waitMs, { summary: 'deliveryDurationDays: the supplier delivers then, unless an operator decides first' });
  if (!decidedByOps) {
    ops.waitingFor(`the supplier's delivery answer (retried for up to 7 days), since ${new Date().toISOString()}; then an operator (deliver or reject).`);
    const supplied = await supplierOrOperator(
      () => supplier.supplierDeliverOrder({ orderId, offer }),
      () => outcome !== undefined,
      () => {
        stage.flag(NEEDS_OPERATOR);
        ops.waitingFor(`an operator since ${new Date().toISOString()}: the supplier gave no answer within its retry budget; send deliver or reject.`);
      },
    );
    // An operator who decided while the supplier was being asked has the last word.
    outcome ??= supplied;
  }

  /** The one way the order's state changes after it is placed: a move the lifecycle table does not allow is logged and not made. */
  async function conclude(final: DeliveryOutcome): Promise<void> {
    const from = view.status.state;
    const state: OrderState = final.delivered ? 'DELIVERED' : 'REJECTED';
    if (!allows(FIBRE_ORDER_LIFECYCLE, from, state) && patched(LIFECYCLE_ENFORCED)) {
      log.warn(refusedMove(FIBRE_ORDER_LIFECYCLE, from, state), { orderId });
      return;
    }
    const message = final.delivered ? (final.message ?? `The connection ${final.connectionId} is delivered.`) : final.message;
    // The final view becomes visible (query, read model) only with the doneDateTime the feed assigned.
    const done: OrderView = {
      ...view,
      status: { ...view.status, state, message, doneDateTime: null },
      connectionId: final.delivered ? final.connectionId : null,
    };
    const { doneDateTime } = await db.completeOrder({
      orderId,
      tenantId,
      correlationId,
      inquiryId: order.inquiryId,
      view: done,
      publicId: publicIdWrite(input, true),
    });
    view = { ...done, status: { ...done.status, doneDateTime } };
    stage.set(state);
  }
  await conclude(outcome!);
  ops.waitingFor('');
  await condition(allHandlersFinished);
  await ops.written();
  return view;
}
