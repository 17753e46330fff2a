const DAY_MS = 24 * 60 * 60 * 1_000;

/** The longest window order-api serves (GET /products/rankings?days=7). */
export const LONGEST_WINDOW_DAYS = 7;
/** Extra life for a day's keys beyond the longest window: late reads, clock skew. */
export const MARGIN_DAYS = 1;

/**
 * When the keys of an order completed at `completedAt` may go: its daily key is read by
 * windows for LONGEST_WINDOW_DAYS days after the order's day starts, so completion time +
 * window + margin outlives every read, and the dedupe key lives exactly as long as the
 * count it protects (a replay after that lands in a key that is already gone).
 */
export function expiryOf(completedAt: number): number {
  return completedAt + (LONGEST_WINDOW_DAYS + MARGIN_DAYS) * DAY_MS;
}
