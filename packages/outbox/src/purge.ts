import type { Pool } from 'mariadb';

export interface PurgeOptions {
  /** How long published rows are kept (for inspection) before they are deleted. */
  retentionMs: number;
  /** How often the relay deletes published rows past their retention. */
  intervalMs: number;
  /** Rows per DELETE: each statement is short, so it never holds the table for long. */
  batchSize: number;
}

export const defaultPurge: PurgeOptions = {
  retentionMs: 60 * 60_000,
  intervalMs: 60_000,
  batchSize: 5_000,
};

/**
 * Deletes published rows older than `olderThanMs`, at most `limit` of them. Read committed,
 * so the range scan takes no gap lock next to where the services insert new rows.
 */
export async function purgePublished(
  pool: Pool,
  olderThanMs: number,
  limit: number,
): Promise<number> {
  const conn = await pool.getConnection();
  try {
    await conn.query('SET TRANSACTION ISOLATION LEVEL READ COMMITTED');
    const result = await conn.query(
      'DELETE FROM outbox_events WHERE published_at < NOW(3) - INTERVAL ? MICROSECOND LIMIT ?',
      [olderThanMs * 1_000, limit],
    );
    return Number(result.affectedRows);
  } finally {
    await conn.release();
  }
}

/** One purge pass: bounded DELETEs one after another until fewer than a batch is left. */
export async function purgeExpired(
  pool: Pool,
  { retentionMs, batchSize }: PurgeOptions,
  stopped: () => boolean,
): Promise<number> {
  let deleted = 0;
  for (;;) {
    const count = await purgePublished(pool, retentionMs, batchSize);
    deleted += count;
    if (count < batchSize || stopped()) return deleted;
  }
}
