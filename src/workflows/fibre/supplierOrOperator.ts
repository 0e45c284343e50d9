import { condition, log } from '@temporalio/workflow';

/**
 * Asks a fibre supplier (someone else's system) through an activity whose retry policy
 * already rides out outages of hours or days. When even that budget is spent, the
 * inquiry or order is not dropped and the workflow does not fail: it is flagged with
 * `OrderStatus = NEEDS_OPERATOR` (so ops find it in the Web UI) and waits, for as long
 * as it takes, for the operator's signal (`answer`, `deliver` or `reject`). Resolves to
 * the supplier's answer, or to undefined when the operator decided instead.
 */
export async function supplierOrOperator<T>(
  ask: () => Promise<T>,
  operatorDecided: () => boolean,
  flagForOperator: () => void,
): Promise<T | undefined> {
  try {
    return await ask();
  } catch (err) {
    log.warn('the supplier gave no usable answer within its retry budget; waiting for an operator', { error: String(err) });
    if (operatorDecided()) return undefined;
    flagForOperator();
    await condition(operatorDecided);
    return undefined;
  }
}

export const NEEDS_OPERATOR = 'NEEDS_OPERATOR';
