/**
 * The outbox table each publishing service's migrations create (copy into a migration.sql).
 * `id` gives the publishing order: rows of one key are published in id order, whatever
 * order their transactions commit in (the relay waits for an earlier row still being
 * written). `outbox_events_waiting` lets the relay find the keys that have a row not due
 * (waiting for a retry, or in flight) without reading their backlogs.
 */
export const outboxTableSql = `CREATE TABLE outbox_events (
    id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
    event_id CHAR(36) NOT NULL,
    event_type VARCHAR(100) NOT NULL,
    topic VARCHAR(249) NOT NULL,
    message_key VARCHAR(255) NOT NULL,
    payload LONGTEXT NOT NULL,
    correlation_id VARCHAR(100) NOT NULL,
    traceparent VARCHAR(55) NULL,
    created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    published_at DATETIME(3) NULL,
    attempts INT UNSIGNED NOT NULL DEFAULT 0,
    next_attempt_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    last_error VARCHAR(2000) NULL,
    PRIMARY KEY (id),
    UNIQUE KEY outbox_events_event_id (event_id),
    KEY outbox_events_pending (published_at, id),
    KEY outbox_events_waiting (published_at, next_attempt_at, message_key)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`;

/** A row as the relay reads it. */
export interface OutboxRow {
  id: bigint;
  event_id: string;
  event_type: string;
  topic: string;
  message_key: string;
  payload: string;
  correlation_id: string;
  traceparent: string | null;
  attempts: number;
}
