import { dayOf, daysBetween } from '@commerce/events';
import { expiryOf } from './retention.ts';

const DAY_MS = 24 * 60 * 60 * 1_000;

/** A completed order as its OrderCompleted event tells it. */
export interface CompletedOrder {
  orderId: string;
  /** The OrderCompleted event's id: the worker's dedupe mark. */
  eventId: string;
  completedAt: number;
  lines: readonly { productId: string; quantity: number }[];
}

export interface RankingRebuilder {
  /**
   * Replaces the day's scores with `units` (deletes the day when empty), expiring at
   * `expiresAt`, and marks `counted` events as counted.
   */
  replaceDay(input: {
    day: string;
    units: ReadonlyMap<string, number>;
    counted: readonly { eventId: string; expiresAt: number }[];
    expiresAt: number;
  }): Promise<void>;
}

export interface RebuildDeps {
  /**
   * Every order completed in the range, each at least once (a redelivered event may come
   * twice: it is counted once).
   */
  completedOrders: (
    range: { from: Date; until: Date },
    visit: (order: CompletedOrder) => void,
  ) => Promise<void>;
  rebuilder: RankingRebuilder;
  timeZone: string;
  now: () => number;
}

export interface DayRebuilt {
  day: string;
  orders: number;
  products: number;
  units: number;
  /** False for a day older than every window: its keys would expire at once. */
  written: boolean;
}

/**
 * Recomputes the daily rankings of `from`..`to` (calendar days in the ranking's time zone)
 * from the completed orders (the order-completed topic, which the ranking is derived from). Idempotent: running it twice gives the same
 * keys, and the events it counted are marked so a late delivery does not add them again.
 * Orders completing while it runs may be missed for today (run it with the worker stopped
 * to rebuild today); past days are complete.
 */
export async function rebuildRankings(
  deps: RebuildDeps,
  range: { from: string; to: string },
): Promise<DayRebuilt[]> {
  const days = daysBetween(range.from, range.to);
  const tally = new Map(
    days.map((day) => [
      day,
      {
        units: new Map<string, number>(),
        orders: new Map<string, { eventId: string; completedAt: number }>(),
      },
    ]),
  );
  // Time zones are within ±14 h of UTC: a day either side of the UTC dates covers the range.
  const from = new Date(Date.parse(`${range.from}T00:00:00Z`) - DAY_MS);
  const until = new Date(Date.parse(`${range.to}T00:00:00Z`) + 2 * DAY_MS);
  await deps.completedOrders({ from, until }, (order) => {
    const day = tally.get(dayOf(order.completedAt, deps.timeZone));
    if (!day || day.orders.has(order.orderId)) return;
    for (const { productId, quantity } of order.lines)
      day.units.set(productId, (day.units.get(productId) ?? 0) + quantity);
    day.orders.set(order.orderId, { eventId: order.eventId, completedAt: order.completedAt });
  });

  const results: DayRebuilt[] = [];
  for (const [day, { units, orders }] of tally) {
    const completions = [...orders.values()];
    const latest = completions.reduce((max, o) => Math.max(max, o.completedAt), 0);
    // The day lives as long as the worker would have kept it; an empty day is deleted.
    const expiresAt = completions.length > 0 ? expiryOf(latest) : 0;
    const written = completions.length === 0 || expiresAt > deps.now();
    if (written) {
      const counted = completions.map(({ eventId, completedAt }) => ({
        eventId,
        expiresAt: expiryOf(completedAt),
      }));
      await deps.rebuilder.replaceDay({ day, units, counted, expiresAt });
    }
    const sum = [...units.values()].reduce((a, b) => a + b, 0);
    results.push({ day, orders: orders.size, products: units.size, units: sum, written });
  }
  return results;
}
