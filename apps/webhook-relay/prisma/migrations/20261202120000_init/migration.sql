-- The webhook database, owned by webhook-relay.

-- Subscribers. The signing secret is shown once at creation; the previous one stays valid
-- (both signatures are sent) until previous_secret_expires_at after a rotation.
CREATE TABLE `endpoints` (
    `id` CHAR(36) NOT NULL,
    `url` VARCHAR(2048) NOT NULL,
    `description` VARCHAR(500) NULL,
    `event_types` JSON NOT NULL,
    `status` ENUM('ENABLED', 'DISABLED') NOT NULL DEFAULT 'ENABLED',
    -- MANUAL (operator), GONE (the receiver answered 410), CIRCUIT_OPEN (failing too long).
    `disabled_reason` VARCHAR(32) NULL,
    `rate_limit_per_second` INTEGER UNSIGNED NULL,
    `ordered` BOOLEAN NOT NULL DEFAULT FALSE,
    `secret` VARCHAR(100) NOT NULL,
    `previous_secret` VARCHAR(100) NULL,
    `previous_secret_expires_at` DATETIME(3) NULL,
    -- Start of the current run of failed attempts (NULL after a success): the circuit breaker.
    `failing_since` DATETIME(3) NULL,
    `created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `updated_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- One row per consumed event (the id is the event id): the body every delivery POSTs.
CREATE TABLE `messages` (
    `id` CHAR(36) NOT NULL,
    `event_type` VARCHAR(100) NOT NULL,
    `body` MEDIUMTEXT NOT NULL,
    `occurred_at` DATETIME(3) NOT NULL,
    `created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- One row per (endpoint, event): the unique key makes a redelivered event a no-op. seq is
-- the insertion order, which is event order within a partition (ordered endpoints use it).
CREATE TABLE `deliveries` (
    `seq` BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
    `id` CHAR(36) NOT NULL,
    `endpoint_id` CHAR(36) NOT NULL,
    `message_id` CHAR(36) NOT NULL,
    `status` ENUM('PUBLISHED', 'IN_PROGRESS', 'COMPLETED', 'FAILED', 'DEAD_LETTER', 'PAUSED') NOT NULL DEFAULT 'PUBLISHED',
    `attempts` INTEGER UNSIGNED NOT NULL DEFAULT 0,
    -- When the next attempt is due (PUBLISHED, FAILED) or when a claim expires (IN_PROGRESS);
    -- NULL once nothing is due (COMPLETED, DEAD_LETTER, PAUSED), so the due index holds
    -- only work and a claim walks it in due order and stops at its LIMIT.
    `next_attempt_at` DATETIME(3) NULL,
    `last_status_code` SMALLINT UNSIGNED NULL,
    `last_error` VARCHAR(1000) NULL,
    `completed_at` DATETIME(3) NULL,
    `created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `updated_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    PRIMARY KEY (`seq`),
    UNIQUE INDEX `deliveries_id` (`id`),
    UNIQUE INDEX `deliveries_endpoint_message` (`endpoint_id`, `message_id`),
    INDEX `deliveries_due` (`next_attempt_at`),
    INDEX `deliveries_endpoint_status` (`endpoint_id`, `status`, `seq`),
    INDEX `deliveries_created` (`created_at`),
    CONSTRAINT `deliveries_endpoint_id_fkey` FOREIGN KEY (`endpoint_id`) REFERENCES `endpoints` (`id`) ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT `deliveries_message_id_fkey` FOREIGN KEY (`message_id`) REFERENCES `messages` (`id`) ON DELETE RESTRICT ON UPDATE CASCADE
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- One row per POST. due_at is when the attempt was scheduled (punctuality = started_at - due_at).
CREATE TABLE `attempts` (
    `id` BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
    `delivery_id` CHAR(36) NOT NULL,
    `endpoint_id` CHAR(36) NOT NULL,
    `attempt_no` INTEGER UNSIGNED NOT NULL,
    `due_at` DATETIME(3) NOT NULL,
    `started_at` DATETIME(3) NOT NULL,
    `status_code` SMALLINT UNSIGNED NULL,
    `latency_ms` INTEGER UNSIGNED NOT NULL,
    `outcome` VARCHAR(32) NOT NULL,
    `error` VARCHAR(1000) NULL,
    `response_body` TEXT NULL,
    PRIMARY KEY (`id`),
    INDEX `attempts_delivery` (`delivery_id`, `attempt_no`),
    INDEX `attempts_endpoint_started` (`endpoint_id`, `started_at`),
    CONSTRAINT `attempts_delivery_id_fkey` FOREIGN KEY (`delivery_id`) REFERENCES `deliveries` (`id`) ON DELETE CASCADE ON UPDATE CASCADE
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- Transactional outbox (the table of @commerce/outbox, outboxTableSql): dead-letter envelopes.
CREATE TABLE `outbox_events` (
    `id` BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
    `event_id` CHAR(36) NOT NULL,
    `event_type` VARCHAR(100) NOT NULL,
    `topic` VARCHAR(249) NOT NULL,
    `message_key` VARCHAR(255) NOT NULL,
    `payload` LONGTEXT NOT NULL,
    `correlation_id` VARCHAR(100) NOT NULL,
    `traceparent` VARCHAR(55) NULL,
    `created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `published_at` DATETIME(3) NULL,
    `attempts` INT UNSIGNED NOT NULL DEFAULT 0,
    `next_attempt_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `last_error` VARCHAR(2000) NULL,
    PRIMARY KEY (`id`),
    UNIQUE INDEX `outbox_events_event_id` (`event_id`),
    INDEX `outbox_events_pending` (`published_at`, `id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
