import type { OrderCompleted } from '@commerce/events';
import type { HandlerContext } from '@commerce/kafka';
import type { Counter } from 'prom-client';
import { type CountOrderDeps, type CountOutcome, countOrder } from '../domain/count-order.ts';

export interface OrderCompletedHandlerDeps extends CountOrderDeps {
  /** Events by outcome: counted, duplicate (a redelivery), expired (older than every window). */
  outcomes?: Counter<'outcome'>;
}

/** Handles one OrderCompleted: its units join the ranking of its day, once. */
export function orderCompletedHandler(deps: OrderCompletedHandlerDeps) {
  return async (event: OrderCompleted, context: HandlerContext): Promise<CountOutcome> => {
    const outcome = await countOrder(deps, event);
    deps.outcomes?.inc({ outcome });
    if (outcome === 'counted') context.log.debug({ orderId: event.orderId }, 'order counted');
    else context.log.info({ orderId: event.orderId, outcome }, 'order not counted again');
    return outcome;
  };
}
