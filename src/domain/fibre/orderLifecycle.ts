import type { Lifecycle } from '../shared/lifecycle';
import type { OrderState } from './order';

/**
 * The fibre order's states and their moves: it waits for delivery, then is delivered or
 * rejected, once. Whoever decides second (the supplier's timer, an operator) finds it
 * final and changes nothing.
 */
export const FIBRE_ORDER_LIFECYCLE: Lifecycle<OrderState> = {
  name: 'Fibre order',
  initial: ['WAIT_DELIVERY'],
  moves: {
    WAIT_DELIVERY: ['DELIVERED', 'REJECTED'],
    DELIVERED: [],
    REJECTED: [],
  },
};
