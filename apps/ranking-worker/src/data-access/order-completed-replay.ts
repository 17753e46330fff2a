import type { EventCodec } from '@commerce/events';
import { type Kafka, replayTopic } from '@commerce/kafka';
import type { RebuildDeps } from '../domain/rebuild-rankings.ts';

export interface OrderCompletedReplayOptions {
  kafka: Kafka;
  codec: EventCodec;
  /** The order-completed topic (with the deployment's name prefix). */
  topic: string;
}

/**
 * Completed orders read back from the order-completed topic: the ranking is derived from
 * it, and its retention (7 days) covers the longest window. The order database belongs to
 * order-api, so the rebuild never reads it. Messages produced before the range cannot hold
 * orders completed in it (an order is published after it completes), so each partition is
 * read from the first message produced at the range's start.
 */
export function completedOrdersFromTopic(
  options: OrderCompletedReplayOptions,
): RebuildDeps['completedOrders'] {
  return async (range, visit) => {
    await replayTopic({ ...options, fromTimestamp: range.from.getTime() }, ({ event }) => {
      if (event.type !== 'OrderCompleted') return;
      const order = event.payload;
      const { completedAt } = order;
      if (completedAt < range.from.getTime() || completedAt >= range.until.getTime()) return;
      visit({
        orderId: order.orderId,
        eventId: order.eventId,
        completedAt,
        lines: order.items.map(({ productId, quantity }) => ({ productId, quantity })),
      });
    });
  };
}
