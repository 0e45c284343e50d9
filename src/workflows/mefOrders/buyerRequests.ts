import { ApplicationFailure, setHandler } from '@temporalio/workflow';
import { ownDatabase } from '../shared/activityPresets';
import type { OpsDesk } from '../shared/opsActions';
import { parsedOrRefused } from '../shared/opsInput';
import type { MefOrderAction } from '../../domain/mefOrders/lifecycle';
import type { BuyerNotify } from './buyerNotifications';
import type { Actor, MefOrderState } from './orderState';
import type * as z from 'zod/mini';
import {
  ActionRequest,
  addBuyerNoteUpdate,
  CancelRequest,
  BuyerNoteInput,
  cancelOrderUpdate,
  cancelSignal,
  holdOrderUpdate,
  holdSignal,
  MefFailure,
  MefOrderDocument,
  recordStatusResponseUpdate,
  releaseOrderUpdate,
  releaseSignal,
  ReplaceOrderInput,
  replaceOrderUpdate,
  requestStatusUpdate,
  StatusRequest,
  UpstreamStatusResponse,
} from './contract';
import type { MefOrderActivities } from '../../activities/mefOrders/activities';

const db = ownDatabase<MefOrderActivities>();

interface Deps {
  state: MefOrderState;
  /** Resolves once the read model shows everything changed so far: an answer waits for it. */
  stored: () => Promise<void>;
}

/**
 * hold, release and cancel: the buyer's HTTP actions (updates) and the operator's
 * signals, one rule. A cancel that needs the seller's assessment starts `assessCancellation`.
 */
export function buyerActions(ops: OpsDesk, { state, stored }: Deps, assessCancellation: () => void): void {
  const action = <R extends ActionRequest>(name: MefOrderAction, apply: (req: R, by: Actor) => void, settled: () => boolean, schema: z.ZodMiniType<R> = ActionRequest as z.ZodMiniType<R>) => ({
    action: name,
    schema,
    refusal: () => state.refusalOf(name),
    apply: (req: R) => apply(req, actorOf(req)),
    settled,
    // The state the action led to, even if fulfilment moves on before the read model catches up.
    answer: () => state.answer(),
    beforeAnswering: stored,
    why: (req: R) => req.reason,
  });
  ops.action(action('hold', ({ reason }, by) => state.hold(reason, by), () => true), holdSignal, holdOrderUpdate);
  ops.action(action('release', ({ reason }, by) => state.release(reason, by), () => true), releaseSignal, releaseOrderUpdate);
  // An immediate cancel answers once the order is CANCELLED; otherwise with ASSESSING_CANCELLATION.
  ops.action(
    action(
      'cancel',
      ({ reason, cancellationId }: CancelRequest, by) => {
        // Runs beside the fulfilment; the update answers ASSESSING_CANCELLATION at once.
        if (state.cancel(reason, by, cancellationId)) assessCancellation();
      },
      () => state.is('CANCELLED') || state.is('ASSESSING_CANCELLATION'),
      CancelRequest,
    ),
    cancelSignal,
    cancelOrderUpdate,
  );
}

/** The buyer reads who changed the state and why on the notification. */
function actorOf(req: ActionRequest): Actor {
  return { changedBy: req.by?.startsWith('buyer ') ? 'buyer' : 'operator', ...(req.reason ? { reason: req.reason } : {}) };
}

/** The API's own updates: a changed order (PUT/PATCH), a buyer's note, status requests and the upstream's status responses. */
export function buyerUpdates({ state, stored }: Deps, tenantId: string, notify: BuyerNotify): void {
  const statusRequests = new Map<string, string>();
  const statusResponses = new Map<string, { requestHash: string; notificationId: string }>();

  setHandler(
    replaceOrderUpdate,
    async ({ kind, order: next, baseVersion }) => {
      const verdict = await db.validateMefOrder({ tenantId, order: next });
      // Checked again after the await: another change may have landed meanwhile.
      state.refuseUnless('update');
      state.checkVersion(baseVersion);
      if (!verdict.valid) {
        throw ApplicationFailure.nonRetryable(`The changed order is not valid: ${verdict.reasons.join(' ')}`, MefFailure.invalidOrder);
      }
      state.replace(next);
      notify('ORDER_UPDATE', `The order was changed by ${kind} to version ${state.version}.`, { kind });
      const changed = state.view();
      await stored();
      return changed;
    },
    {
      validator: (raw) => {
        parsedOrRefused(ReplaceOrderInput, raw, 'replaceOrder');
        const { order: next, baseVersion } = raw;
        state.refuseUnless('update');
        state.checkVersion(baseVersion);
        const refs = (o: MefOrderDocument) => o.orderItems.map((i) => i.orderItemReference).sort().join(',');
        if (!state.is('ACKNOWLEDGED') && refs(next) !== refs(state.order)) {
          throw ApplicationFailure.nonRetryable(
            `Order ${state.orderId} is ${state.status}: order items cannot be added or removed once fulfilment has started.`,
            MefFailure.itemsFrozen,
          );
        }
      },
    },
  );

  setHandler(
    addBuyerNoteUpdate,
    async ({ note }) => {
      state.buyerNotes += 1;
      const notificationId = notify('BUYER_NOTE', note, undefined, false);
      await stored();
      return { notificationId };
    },
    {
      validator: (raw) => {
        parsedOrRefused(BuyerNoteInput, raw, 'addBuyerNote');
        state.refuseUnlessRunning('add a note');
      },
    },
  );

  setHandler(
    requestStatusUpdate,
    async ({ requestId }) => {
      let notificationId = statusRequests.get(requestId);
      if (!notificationId) {
        notificationId = notify('STATUS_RESPONSE', `Order ${state.orderId} is ${state.status}: ${state.statusMessage}`, {
          requestId,
          orderItems: state.items,
        });
        statusRequests.set(requestId, notificationId);
      }
      await stored();
      return { requestId, notificationId };
    },
    {
      validator: (raw) => {
        parsedOrRefused(StatusRequest, raw, 'requestStatus');
        state.refuseUnlessRunning('request status');
      },
    },
  );

  setHandler(
    recordStatusResponseUpdate,
    async (res) => {
      let seen = statusResponses.get(res.responseId);
      if (!seen) {
        const message = res.statusMessage ?? `Upstream order status ${res.orderStatus}`;
        const notificationId = notify('UPSTREAM_STATUS_RESPONSE', message, { ...res, requestHash: undefined }, false);
        seen = { requestHash: res.requestHash, notificationId };
        statusResponses.set(res.responseId, seen);
      }
      await stored();
      return { notificationId: seen.notificationId };
    },
    {
      validator: (raw) => {
        const res = parsedOrRefused(UpstreamStatusResponse, raw, 'recordStatusResponse');
        state.refuseUnlessRunning('record a status response');
        const seen = statusResponses.get(res.responseId);
        if (seen && seen.requestHash !== res.requestHash) {
          throw ApplicationFailure.nonRetryable(
            `Status response ${res.responseId} was already recorded with another body.`,
            MefFailure.statusResponseConflict,
          );
        }
      },
    },
  );
}
