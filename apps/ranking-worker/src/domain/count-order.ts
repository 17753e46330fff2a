import type { OrderCompleted } from '@commerce/events';
import { dayOf, PermanentError } from '@commerce/events';
import { expiryOf } from './retention.ts';

export type CountOutcome = 'counted' | 'duplicate' | 'expired';

export interface RankingWriter {
  /**
   * Adds each line's units to `day`'s scores unless `eventId` was counted before, in one
   * atomic step; the day's key and the dedupe mark live until `expiresAt` (epoch ms).
   */
  countOnce(input: {
    eventId: string;
    day: string;
    lines: readonly { productId: string; quantity: number }[];
    expiresAt: number;
  }): Promise<'counted' | 'duplicate'>;
}

export interface CountOrderDeps {
  ranking: RankingWriter;
  timeZone: string;
  now: () => number;
}

/**
 * A completed order adds its units to the ranking of the day it completed (in the
 * ranking's time zone), once per event however often the event is delivered.
 */
export async function countOrder(
  deps: CountOrderDeps,
  event: OrderCompleted,
): Promise<CountOutcome> {
  const bad = event.items.find((line) => !Number.isInteger(line.quantity) || line.quantity < 1);
  if (event.items.length === 0 || bad) {
    // Retrying cannot fix the event: it goes to the dead-letter topic for a person to look at.
    throw new PermanentError('INVALID_ORDER_LINES', `order ${event.orderId} has no valid lines`);
  }
  const expiresAt = expiryOf(event.completedAt);
  // Older than every window: counting it would only create a key that expires at once.
  if (expiresAt <= deps.now()) return 'expired';
  return deps.ranking.countOnce({
    eventId: event.eventId,
    day: dayOf(event.completedAt, deps.timeZone),
    lines: event.items.map(({ productId, quantity }) => ({ productId, quantity })),
    expiresAt,
  });
}
