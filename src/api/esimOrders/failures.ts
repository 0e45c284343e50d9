import { EsimFailure } from '../../workflows/esimOrders/contract';
import { HttpError } from '../shared/errors';
import { failureMap } from '../shared/updateWithStart';

/**
 * The one place the eSIM order workflow's business failures become HTTP answers.
 * The seed's 422 codes pass through as `code`; an unsupported currency is the
 * seed's INVALID_REQUEST_PARAMS (400), decided by the workflow because only it
 * knows the customer.
 */
export const httpErrorOf = failureMap('code', {
  [EsimFailure.productNotFound]: 422,
  [EsimFailure.emailAndIccidDoNotMatch]: 422,
  [EsimFailure.customerMustExist]: 422,
  [EsimFailure.invalidRequestParams]: 400,
});

export const orderNotFound = (orderId: string): HttpError =>
  new HttpError(404, 'ORDER_NOT_FOUND', `Order was not found for the given orderId ${orderId}`);
