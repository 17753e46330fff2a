import { type BackoffPolicy, backoffDelay } from '@commerce/kafka';
import type { PoolConnection } from 'mariadb';
import type { OutboxRow } from './table.ts';

/** A row that could not be published this time, and why. */
export interface RowFailure {
  row: OutboxRow;
  error: unknown;
}

/** What became of a round's sends: rows Kafka acknowledged, rows that failed. */
export interface SendOutcome {
  published: bigint[];
  failures: RowFailure[];
}

// `late`: recorded after the round's commit (a send that outlived the round), when the row
// may meanwhile have been published by a later attempt.
const onlyUnpublished = (late: boolean) => (late ? ' AND published_at IS NULL' : '');

export async function markPublished(conn: PoolConnection, ids: readonly bigint[], late = false) {
  if (ids.length === 0) return;
  await conn.query(
    `UPDATE outbox_events SET published_at = NOW(3), attempts = attempts + 1
      WHERE id IN (?)${onlyUnpublished(late)}`,
    [ids],
  );
}

/**
 * Records each failure on its own row: the error, one more attempt, and a retry time from
 * the row's own attempts with its own jitter, so rows that failed together do not come
 * back together.
 */
export async function recordFailures(
  conn: PoolConnection,
  failures: readonly RowFailure[],
  policy: BackoffPolicy,
  late = false,
) {
  if (failures.length === 0) return;
  await conn.batch(
    `UPDATE outbox_events
        SET attempts = attempts + 1, last_error = ?,
            next_attempt_at = NOW(3) + INTERVAL ? MICROSECOND
      WHERE id = ?${onlyUnpublished(late)}`,
    failures.map(({ row, error }) => [
      errorText(error),
      backoffDelay(row.attempts + 1, policy) * 1_000,
      row.id,
    ]),
  );
}

/** Notes on rows whose send is still in flight why they wait (their lease keeps them). */
export async function recordInFlight(conn: PoolConnection, ids: readonly bigint[], note: string) {
  if (ids.length === 0) return;
  await conn.query('UPDATE outbox_events SET last_error = ? WHERE id IN (?)', [note, ids]);
}

/**
 * Keys this round claimed but did not send, because an earlier send to their topic is still
 * in flight: they wait `delayMs` (and free the claim for other keys meanwhile).
 */
export async function deferHeld(conn: PoolConnection, ids: readonly bigint[], delayMs: number) {
  if (ids.length === 0) return;
  await conn.query(
    `UPDATE outbox_events
        SET next_attempt_at = NOW(3) + INTERVAL ? MICROSECOND,
            last_error = 'waits for an earlier send to its topic that Kafka has not answered yet'
      WHERE id IN (?)`,
    [delayMs * 1_000, ids],
  );
}

export function errorText(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, 2_000);
}
