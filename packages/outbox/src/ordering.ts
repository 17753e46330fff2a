import type { OutboxRow } from './table.ts';

/**
 * Which claimed rows may be published now without overtaking an earlier row of the same
 * key. `fences` maps a key to the id of its earliest unpublished row this relay did not
 * claim (held by another relay, or waiting for its retry time): rows of that key from the
 * fence on must wait. `failed` keys stop at their first row that could not be encoded.
 */
export function publishableInOrder(
  claimed: readonly OutboxRow[],
  fences: ReadonlyMap<string, bigint>,
  failedIds: ReadonlySet<bigint> = new Set(),
): OutboxRow[] {
  const blockedKeys = new Set<string>();
  const publishable: OutboxRow[] = [];
  for (const row of [...claimed].sort((a, b) => (a.id < b.id ? -1 : 1))) {
    const fence = fences.get(row.message_key);
    if (blockedKeys.has(row.message_key) || (fence !== undefined && fence < row.id)) {
      blockedKeys.add(row.message_key);
      continue;
    }
    if (failedIds.has(row.id)) {
      blockedKeys.add(row.message_key);
      continue;
    }
    publishable.push(row);
  }
  return publishable;
}
