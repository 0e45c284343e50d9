import type { MefOrderInput } from '../../workflows/mefOrders/contract';
import { count, detailsMarkdown, StartDetails, summaryLine } from '../shared/startDetails';

/**
 * What the Temporal UI shows of a MEF order. The business reference is the
 * buyerPurchaseOrderNumber: the buyer's own number, which they quote (the status
 * endpoint is asked by it too). The order's contacts and site addresses stay out.
 */
export function mefOrderStartDetails(input: MefOrderInput): StartDetails {
  const { order } = input;
  return {
    summary: summaryLine(
      `MEF ${order.orderType} order ${order.buyerPurchaseOrderNumber} from ${order.buyerId} to ${order.sellerId}, ${count(order.orderItems.length, 'item')}`,
    ),
    details: detailsMarkdown('MEF order (seed 003)', [
      ['id', input.orderId],
      ['buyerPurchaseOrderNumber', order.buyerPurchaseOrderNumber],
      ['buyerId', order.buyerId],
      ['sellerId', order.sellerId],
      ['orderType', order.orderType],
      ['orderItems', order.orderItems.length],
    ]),
    businessReference: order.buyerPurchaseOrderNumber,
  };
}
