import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  log,
  patched,
  setHandler,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { Duration } from '@temporalio/common';
import { msToNumber } from '@temporalio/common/lib/time';
import { DAY_MS, fibreSupplierActivities } from './activityPresets';
import { ownDatabase } from '../shared/activityPresets';
import { trackedStage } from '../shared/stage';
import { answerSubmit } from '../shared/submitUpdate';
import { opsDesk } from '../shared/opsActions';
import { parsedOrRefused } from '../shared/opsInput';
import { NEEDS_OPERATOR, supplierOrOperator } from './supplierOrOperator';
import { BusinessReference } from '../shared/searchAttributes';
import {
  AnswerInquiry,
  answerInquiryUpdate,
  AsyncAnswer,
  answerSignal,
  InquiryAssessment,
  InquiryFailure,
  InquiryStage,
  InquiryState,
  InquiryView,
  inquiryStatusQuery,
  OfferInquiryInput,
  OfferInquirySettings,
  offerExpiresAtMs,
  OfferForOrder,
  PlaceOrder,
  placeOrderUpdate,
  Price,
  submitInquiryUpdate,
  SUCCESS_STATES,
} from './inquiryContract';
import { offerOf } from '../../domain/fibre/inquiry';
import type { FibreActivities } from '../../activities/fibre/activities';
import { publicIdWrite } from '../shared/sameRequest';

const db = ownDatabase<FibreActivities>();

// An async answer is awaited for up to a day once it is due.
const supplier = fibreSupplierActivities('1 day', '10m');
const isoDate = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/**
 * One offer inquiry (seed 002, section 4). Without a comment it is answered at once
 * (DONE_SUCCESS / DONE_FAILED); with a comment it waits for an async answer (the ops
 * signal `answer`, or the supplier after `asyncAnswerDelay`) and the final answer is
 * appended to the `inquiries` feed. A successful offer then stays open for one order
 * until the end of `offerValidUntilDate`.
 */
export async function offerInquiryWorkflow(input: OfferInquiryInput, settings: OfferInquirySettings): Promise<InquiryView> {
  const { inquiryId, tenantId, correlationId, inquiry } = input;
  const receivedAt = new Date().toISOString();
  const stage = trackedStage<InquiryStage>('ASSESSING');
  let firstAnswerGiven = false;
  let asyncAnswer: AsyncAnswer | undefined;
  let orderedBy: string | undefined;
  // The async answer while it is being recorded: the read model (and so a client's GET)
  // may show it before this workflow's own view does, and an order placed in that
  // moment must be judged by it, not refused as "still waiting".
  let recording: InquiryView | undefined;
  let view: InquiryView = {
    inquiryId,
    inquiryNumber: '',
    referenceId: inquiry.referenceId,
    status: { state: 'ASSESSING', message: 'The inquiry is being assessed.', orderDateTime: receivedAt, doneDateTime: null },
    supplier: inquiry.supplier,
    offerValidUntilDate: null,
    connectionId: null,
    deliveryDurationDays: null,
    product: { productId: inquiry.product.productId, name: inquiry.product.name ?? '', price: null },
    asyncStatusMessage: '',
  };

  setHandler(inquiryStatusQuery, () => view);

  answerSubmit(submitInquiryUpdate, {
    requestHash: input.requestHash,
    what: `offer inquiry (inquiryId ${inquiryId})`,
    ready: () => firstAnswerGiven,
    answer: () => view,
  });

  setHandler(
    placeOrderUpdate,
    ({ orderId }) => {
      orderedBy = orderId;
      const offer = (): OfferForOrder => offerOf(inquiryId, { ...view, offerValidUntilDate: view.offerValidUntilDate! });
      // Synchronous unless the answer is still being recorded: an async handler would
      // complete the update one activation later and break replay of recorded histories.
      return recording === undefined ? offer() : condition(() => recording === undefined).then(offer);
    },
    {
      validator: (raw) => {
        const { orderId, tenantId: caller } = parsedOrRefused(PlaceOrder, raw, 'placeOrder');
        checkOrderable(orderId, caller);
      },
    },
  );

  // Seed 002 §5: an order only on the client's own inquiry that succeeded and whose
  // offerValidUntilDate has not passed; and (our rule) one order per offer.
  function checkOrderable(orderId: string, caller: string): void {
    if (caller !== tenantId) {
      // Another client's inquiry is answered exactly like a missing one.
      throw ApplicationFailure.nonRetryable(`Inquiry ${inquiryId} not found for this client.`, InquiryFailure.inquiryNotFound);
    }
    const current = recording ?? view;
    const state = current.status.state;
    if (!SUCCESS_STATES.includes(state as InquiryState)) {
      const why = state === 'WAIT_ASYNC_ANSWER' ? 'is still waiting for its answer' : state === 'ASSESSING' ? 'is still being assessed' : 'did not succeed';
      throw ApplicationFailure.nonRetryable(`Inquiry ${inquiryId} ${why} (state ${state}); only a successful offer can be ordered.`, InquiryFailure.notOrderable);
    }
    if (orderedBy !== undefined && orderedBy !== orderId) {
      throw ApplicationFailure.nonRetryable(`The offer of inquiry ${inquiryId} has already been ordered (orderId ${orderedBy}).`, InquiryFailure.alreadyOrdered);
    }
    if (orderedBy === undefined && Date.now() >= offerExpiresAtMs(current.offerValidUntilDate!)) {
      throw ApplicationFailure.nonRetryable(`The offer of inquiry ${inquiryId} was valid until ${current.offerValidUntilDate} and can no longer be ordered.`, InquiryFailure.offerExpired);
    }
  }

  const ops = opsDesk({ family: 'fibre', publicId: inquiryId, state: () => stage.now });
  ops.action(
    {
      action: 'answer',
      schema: AnswerInquiry,
      refusal: (answer) => {
        if (stage.now !== 'WAIT_ASYNC_ANSWER' || asyncAnswer) return `the inquiry is ${stage.now}${asyncAnswer ? ' and already answered' : ''}: only an inquiry waiting for an async answer can be answered`;
        if (answer.success && view.product.price === null && (answer.oneTimeFee === undefined || answer.monthlyFee === undefined)) {
          return 'a successful answer needs oneTimeFee and monthlyFee, as there is no estimate to confirm';
        }
        return undefined;
      },
      apply: (answer) => {
        asyncAnswer = answer;
      },
      settled: () => stage.now !== 'WAIT_ASYNC_ANSWER',
      why: (a) => a.message,
    },
    answerSignal,
    answerInquiryUpdate,
  );

  // Its answer is final once it is no longer waiting for the supplier's.
  const publicId = () => publicIdWrite(input, view.status.state !== 'WAIT_ASYNC_ANSWER');
  const record = () => db.recordInquiry({ inquiryId, tenantId, correlationId, stage: stage.now, view, publicId: publicId() });

  async function answerWith(state: InquiryState, message: string, patch: Partial<InquiryView> = {}): Promise<void> {
    stage.set(state);
    const done = state === 'WAIT_ASYNC_ANSWER' ? null : new Date().toISOString();
    view = { ...view, ...patch, status: { ...view.status, state, message, doneDateTime: done } };
    await record();
    firstAnswerGiven = true;
  }

  const offerValidUntil = () => isoDate(Date.now() + settings.offerValidityDays * DAY_MS);

  view = { ...view, inquiryNumber: await db.allocateInquiryNumber({ inquiryId }) };
  // The number partners quote becomes the UI's BusinessReference (runs started before this keep theirs).
  if (stage.tagged && patched('inquiry-number-as-business-reference')) upsertSearchAttributes([{ key: BusinessReference, value: view.inquiryNumber }]);
  const assessment: InquiryAssessment = await db.assessInquiry({ tenantId, inquiry });
  const wantsAsync = inquiry.comment !== undefined && inquiry.comment !== '';
  // The invoice information the offer is made under, kept with it (state only, no command:
  // histories recorded before it replay unchanged, their assessments carry none).
  if (assessment.outcome !== 'invalid' && assessment.accounts) view = { ...view, ...assessment.accounts };

  if (assessment.outcome === 'invalid' || (!wantsAsync && assessment.outcome === 'unavailable')) {
    await answerWith('DONE_FAILED', assessment.message, assessment.outcome === 'unavailable' ? { product: { ...assessment.product, price: null } } : {});
    return finish();
  }
  if (!wantsAsync && assessment.outcome === 'priced') {
    await answerWith('DONE_SUCCESS', 'The offer is answered.', {
      product: assessment.product,
      deliveryDurationDays: assessment.deliveryDurationDays,
      connectionId: assessment.connectionId,
      offerValidUntilDate: offerValidUntil(),
    });
    await keepOfferOpen();
    return finish();
  }

  // Async (seed: "When comment is present the request will be async").
  await answerWith('WAIT_ASYNC_ANSWER', 'The inquiry waits for the supplier\'s answer.', {
    product: assessment.outcome === 'priced' ? assessment.product : { ...assessment.product, price: null },
    deliveryDurationDays: assessment.outcome === 'priced' ? assessment.deliveryDurationDays : null,
    asyncStatusMessage: 'Waiting for the supplier to assess the comment.',
  });
  // A durable timer: the supplier's default answer comes after the configured delay
  // unless an operator answers first; the worker holds nothing meanwhile.
  ops.waitingFor(
    `an async answer: the supplier answers at ${new Date(Date.now() + msToNumber(settings.asyncAnswerDelay as Duration)).toISOString()} unless an operator sends answer first.`,
  );
  const answeredByOps = await condition(() => asyncAnswer !== undefined, settings.asyncAnswerDelay as Duration, {
    summary: 'The supplier\'s async answer is due; an operator may answer first',
  });
  let answeredBySupplier = false;
  if (!answeredByOps) {
    ops.waitingFor(`the supplier's answer (retried for up to a day), since ${new Date().toISOString()}; an operator may send answer meanwhile.`);
    const supplied = await supplierOrOperator(
      () => supplier.supplierAnswerInquiry({ inquiryId, inquiry, assessment }),
      () => asyncAnswer !== undefined,
      // Only the search attribute: `stage` stays WAIT_ASYNC_ANSWER so the operator's answer is taken.
      () => {
        stage.flag(NEEDS_OPERATOR);
        ops.waitingFor(`an operator since ${new Date().toISOString()}: the supplier gave no answer within its retry budget; send answer.`);
      },
    );
    // An operator who answered while the supplier was being asked has the last word.
    if (asyncAnswer === undefined && supplied) {
      asyncAnswer = supplied;
      answeredBySupplier = true;
    }
  }
  const answer = asyncAnswer!;
  const state: InquiryState = answer.success ? 'DONE_ASYNC_ANSWER_SUCCESS' : 'DONE_ASYNC_ANSWER_FAILED';
  const message = answer.message ?? (answer.success ? 'The supplier has answered with an offer.' : 'The supplier cannot deliver the inquired connection.');
  // The answered view becomes visible (query, read model) only with the doneDateTime the feed assigned.
  const answered: InquiryView = {
    ...view,
    status: { ...view.status, state, message, doneDateTime: null },
    asyncStatusMessage: answeredBySupplier ? 'Answered by the supplier.' : 'Answered by the supplier\'s staff.',
    ...(answer.success
      ? {
          product: { ...view.product, price: offeredPrice(view.product.price, answer) },
          offerValidUntilDate: answer.offerValidUntilDate ?? offerValidUntil(),
          deliveryDurationDays: answer.deliveryDurationDays ?? view.deliveryDurationDays ?? 0,
          connectionId: answer.connectionId ?? view.connectionId,
        }
      : {}),
  };
  // The feed assigns doneDateTime; the read model and this view take the same instant.
  recording = answered;
  const { doneDateTime } = await db.completeAsyncInquiry({
    inquiryId,
    tenantId,
    correlationId,
    stage: state,
    view: answered,
    publicId: publicIdWrite(input, true),
  });
  view = { ...answered, status: { ...answered.status, doneDateTime } };
  recording = undefined;
  stage.set(state);
  if (answer.success) await keepOfferOpen();
  return finish();

  /** Open for one order until the offer expires; then the workflow (and the offer) ends. */
  async function keepOfferOpen(): Promise<void> {
    const remaining = offerExpiresAtMs(view.offerValidUntilDate!) - Date.now();
    ops.waitingFor(`an order on this offer until ${new Date(offerExpiresAtMs(view.offerValidUntilDate!)).toISOString()} (the end of offerValidUntilDate).`);
    if (remaining > 0) await condition(() => orderedBy !== undefined, remaining, { summary: 'The offer is open for an order until the end of offerValidUntilDate' });
    if (orderedBy === undefined) {
      stage.set('OFFER_EXPIRED');
    } else {
      stage.set('ORDERED');
      // Stay until the offer's last day, so a retried POST /orders for the same order still finds its offer.
      const rest = offerExpiresAtMs(view.offerValidUntilDate!) - Date.now();
      if (rest > 0) await condition(() => false, rest, { summary: 'Ordered: kept until the offer\'s last day, so a retried order finds it' });
    }
  }

  async function finish(): Promise<InquiryView> {
    firstAnswerGiven = true;
    ops.waitingFor('');
    await condition(allHandlersFinished);
    await ops.written();
    return view;
  }
}

/** An ops answer with fees replaces the estimate; without, the estimate is confirmed as the offer. */
function offeredPrice(estimate: Price | null, answer: AsyncAnswer): Price {
  if (answer.oneTimeFee !== undefined && answer.monthlyFee !== undefined) {
    return {
      status: 'OFFER',
      oneTimeFee: answer.oneTimeFee,
      monthlyFee: answer.monthlyFee,
      items: [{ name: 'Offer from the supplier', parameters: [], oneTimeFee: answer.oneTimeFee, monthlyFee: answer.monthlyFee }],
    };
  }
  return { ...(estimate ?? { oneTimeFee: 0, monthlyFee: 0, items: [] }), status: 'OFFER' };
}
