import type { OutboxRow } from './table.ts';

/**
 * The claimed rows that may go out this round: a claimed row whose key has an earlier
 * unpublished row outside the claim (`fences`: key → that row's id; a row another
 * transaction is still writing, or one another relay holds) waits, with every later row
 * of its key. Rows come back in id order.
 */
export function beforeFences(
  claimed: readonly OutboxRow[],
  fences: ReadonlyMap<string, bigint>,
): OutboxRow[] {
  return [...claimed]
    .sort((a, b) => (a.id < b.id ? -1 : 1))
    .filter((row) => {
      const fence = fences.get(row.message_key);
      return fence === undefined || row.id < fence;
    });
}

/** The rows of each key, in id order, keys in the order of their first row. */
export function keyRuns<T extends Pick<OutboxRow, 'id' | 'message_key'>>(
  rows: readonly T[],
): T[][] {
  const runs = new Map<string, T[]>();
  for (const row of [...rows].sort((a, b) => (a.id < b.id ? -1 : 1))) {
    const run = runs.get(row.message_key);
    if (run) run.push(row);
    else runs.set(row.message_key, [row]);
  }
  return [...runs.values()];
}
