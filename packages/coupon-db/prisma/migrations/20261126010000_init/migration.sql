-- Coupons: issued_quantity can never pass total_quantity (oversell fence of last resort).
CREATE TABLE `coupons` (
    `id` VARCHAR(64) NOT NULL,
    `name` VARCHAR(200) NOT NULL,
    `discount_type` ENUM('AMOUNT', 'PERCENT') NOT NULL,
    `discount_value` INTEGER UNSIGNED NOT NULL,
    `total_quantity` INTEGER UNSIGNED NOT NULL,
    `issued_quantity` INTEGER UNSIGNED NOT NULL DEFAULT 0,
    `valid_from` DATETIME(3) NOT NULL,
    `valid_until` DATETIME(3) NOT NULL,
    `created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    PRIMARY KEY (`id`),
    CONSTRAINT `coupons_issued_within_total` CHECK (`issued_quantity` <= `total_quantity`),
    CONSTRAINT `coupons_valid_window` CHECK (`valid_from` < `valid_until`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- One coupon per user and coupon: the fence against double issue.
CREATE TABLE `user_coupons` (
    `id` CHAR(36) NOT NULL,
    `coupon_id` VARCHAR(64) NOT NULL,
    `user_id` VARCHAR(64) NOT NULL,
    `request_id` CHAR(36) NOT NULL,
    `issued_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    PRIMARY KEY (`id`),
    UNIQUE INDEX `user_coupons_request_id` (`request_id`),
    UNIQUE INDEX `user_coupons_coupon_user` (`coupon_id`, `user_id`),
    INDEX `user_coupons_user` (`user_id`),
    CONSTRAINT `user_coupons_coupon_id_fkey` FOREIGN KEY (`coupon_id`) REFERENCES `coupons` (`id`) ON DELETE RESTRICT ON UPDATE CASCADE
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- The event log of coupon requests.
CREATE TABLE `coupon_requests` (
    `request_id` CHAR(36) NOT NULL,
    `coupon_id` VARCHAR(64) NOT NULL,
    `user_id` VARCHAR(64) NOT NULL,
    `sequence` BIGINT UNSIGNED NOT NULL,
    `status` ENUM('PENDING', 'COMPLETED', 'FAILED', 'NOTIFIED') NOT NULL DEFAULT 'PENDING',
    `reason` ENUM('OUT_OF_STOCK', 'ALREADY_ISSUED', 'EXPIRED', 'NOT_STARTED', 'COUPON_NOT_FOUND') NULL,
    `user_coupon_id` CHAR(36) NULL,
    `idempotency_key` VARCHAR(100) NULL,
    `created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `completed_at` DATETIME(3) NULL,
    `notified_at` DATETIME(3) NULL,
    PRIMARY KEY (`request_id`),
    UNIQUE INDEX `coupon_requests_idempotency` (`user_id`, `idempotency_key`),
    INDEX `coupon_requests_coupon_status` (`coupon_id`, `status`),
    INDEX `coupon_requests_user_completed` (`user_id`, `completed_at`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- Transactional outbox (see @commerce/outbox).
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
    `attempts` INTEGER UNSIGNED NOT NULL DEFAULT 0,
    `next_attempt_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `last_error` VARCHAR(2000) NULL,
    PRIMARY KEY (`id`),
    UNIQUE INDEX `outbox_events_event_id` (`event_id`),
    INDEX `outbox_events_pending` (`published_at`, `id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- Idempotent consumers (see @commerce/db processed-events).
CREATE TABLE `processed_events` (
    `consumer_group` VARCHAR(100) NOT NULL,
    `event_id` CHAR(36) NOT NULL,
    `processed_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `redeliveries` INTEGER UNSIGNED NOT NULL DEFAULT 0,
    PRIMARY KEY (`consumer_group`, `event_id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
