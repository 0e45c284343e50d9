import {
  allHandlersFinished,
  condition,
  log,
  patched,
  setHandler,
} from '@temporalio/workflow';
import { DAY_MS, fibreSupplierActivities } from './activityPresets';
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
  OrderState,
  orderStatusQuery,
  OrderView,
  RejectOrder,
  rejectOrderSignal,
  rejectOrderUpdate,
  submitOrderUpdate,
} from './orderContract';
import type { FibreActivities } from '../../activities/fibre/activities';

const db = ownDatabase<FibreActivities>();
/** Runs started before the lifecycle table was enforced replay as they ran. */
const LIFECYCLE_ENFORCED = 'fibre-order-lifecycle-table-enforced';
// A delivery is days away; the supplier may be unreachable for a while in between.
const supplier = fibreSupplierActivities('7 days', '30m');

/**
 * One fibre order (seed 002, section 5): waits for delivery — the ops signals
 * `deliver` / `reject`, or the supplier once `deliveryDurationDays` have passed (a
 * durable timer) — and appends the final state to the `orders` feed.
 */
export async function fiberOrderWorkflow(input: FibreOrderInput, settings: FibreOrderSettings): Promise<OrderView> {
  const { orderId, tenantId, correlationId, order, offer } = input;
  let outcome: DeliveryOutcome | undefined;
  let recorded = false;
  let view: OrderView = {
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
  };

  setHandler(orderStatusQuery, () => view);
  answerSubmit(submitOrderUpdate, { requestHash: input.requestHash, what: `order (orderId ${orderId})`, ready: () => recorded, answer: () => view });
  const ops = opsDesk({ family: 'fibre', publicId: orderId, state: () => view.status.state });
  const undecided = () => (outcome ? `the order is already ${view.status.state === 'WAIT_DELIVERY' ? 'decided' : view.status.state}` : undefined);
  const concluded = () => view.status.state !== 'WAIT_DELIVERY';
  ops.action(
    {
      action: 'deliver',
      schema: DeliverOrder,
      refusal: undecided,
      apply: ({ connectionId, message }) => {
        outcome = { delivered: true, connectionId: connectionId || offer.connectionId || `CONN-${orderId.slice(0, 8).toUpperCase()}`, message };
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

  stage.set('WAIT_DELIVERY');
  await db.recordOrder({ orderId, tenantId, correlationId, inquiryId: order.inquiryId, view, publicId: { requestHash: input.requestHash, finished: false } });
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
      publicId: { requestHash: input.requestHash, finished: true },
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
