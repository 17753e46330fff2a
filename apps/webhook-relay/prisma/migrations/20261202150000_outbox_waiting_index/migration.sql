-- The outbox relay finds the keys that have a row not due (waiting for a retry, or in
-- flight) through this index (see @commerce/outbox, outboxTableSql).
CREATE INDEX `outbox_events_waiting` ON `outbox_events`(`published_at`, `next_attempt_at`, `message_key`);
