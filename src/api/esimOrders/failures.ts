import { ApplicationFailure, WorkflowUpdateFailedError } from '@temporalio/client';
import { EsimFailure } from '../../workflows/esimOrder/contract';
import { HttpError } from '../shared/errors';
import { idempotencyKeyReused } from '../shared/idempotency';

/**
 * The one place the eSIM order workflow's business failures become HTTP answers.
 * The seed's 422 codes pass through as `code`; an unsupported currency is the
 * seed's INVALID_REQUEST_PARAMS (400), decided by the workflow because only it
 * knows the customer; a reused Idempotency-Key with another body is a 409.
 */
const STATUS_OF: Record<string, number> = {
  [EsimFailure.productNotFound]: 422,
  [EsimFailure.emailAndIccidDoNotMatch]: 422,
  [EsimFailure.customerMustExist]: 422,
  [EsimFailure.invalidRequestParams]: 400,
  [EsimFailure.idempotencyKeyReused]: 409,
};

export function httpErrorOfUpdateFailure(err: unknown): HttpError | undefined {
  if (!(err instanceof WorkflowUpdateFailedError) || !(err.cause instanceof ApplicationFailure)) return undefined;
  const type = err.cause.type ?? '';
  const status = STATUS_OF[type];
  return status ? new HttpError(status, type, err.cause.message) : undefined;
}

export const reusedKey = (externalId: string): HttpError =>
  idempotencyKeyReused('code', `Idempotency-Key was already used for another eSIM order (externalId ${externalId}).`);

export const orderNotFound = (orderId: string): HttpError =>
  new HttpError(404, 'ORDER_NOT_FOUND', `Order was not found for the given orderId ${orderId}`);
