/**
 * Idempotent consumers: a handler records "this group processed this event" in the same
 * transaction as its effect. A redelivered event finds its row and changes nothing; two
 * deliveries racing each other serialise on the primary key.
 */

/** The table every consuming service's migrations create (copy it into a migration.sql). */
export const processedEventsTableSql = `CREATE TABLE processed_events (
    consumer_group VARCHAR(100) NOT NULL,
    event_id CHAR(36) NOT NULL,
    processed_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    redeliveries INT UNSIGNED NOT NULL DEFAULT 0,
    PRIMARY KEY (consumer_group, event_id)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`;

/** What the helper needs of a transaction: Prisma's `tx` has this shape. */
export interface RawSqlExecutor {
  $executeRawUnsafe(query: string, ...values: unknown[]): Promise<number>;
}

/**
 * Records the event as processed by `consumerGroup`. Returns false when it already was: the
 * caller then skips its effect (and the transaction commits nothing new).
 */
export async function recordProcessedEvent(
  tx: RawSqlExecutor,
  consumerGroup: string,
  eventId: string,
): Promise<boolean> {
  // Not INSERT IGNORE: that would also turn real errors (a too-long id) into "duplicate".
  // The update always changes the row, so affected rows are 1 for a new row and 2 for an
  // existing one, whether or not the driver reports found rows (the mariadb driver does).
  const affected = await tx.$executeRawUnsafe(
    'INSERT INTO processed_events (consumer_group, event_id) VALUES (?, ?) ON DUPLICATE KEY UPDATE redeliveries = redeliveries + 1',
    consumerGroup,
    eventId,
  );
  return affected === 1;
}
