-- Products: stock is unsigned, so even a missed check cannot take it below zero.
CREATE TABLE `products` (
    `id` CHAR(36) NOT NULL,
    `name` VARCHAR(200) NOT NULL,
    `price` BIGINT UNSIGNED NOT NULL,
    `stock` INTEGER UNSIGNED NOT NULL,
    `created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `updated_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- Orders: PENDING until paid; a COMPLETED order always has its completion time.
CREATE TABLE `orders` (
    `id` CHAR(36) NOT NULL,
    `user_id` VARCHAR(64) NOT NULL,
    `status` ENUM('PENDING', 'COMPLETED') NOT NULL DEFAULT 'PENDING',
    `total` BIGINT UNSIGNED NOT NULL,
    `currency` CHAR(3) NOT NULL,
    `created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `updated_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `completed_at` DATETIME(3) NULL,
    `completed_event_id` CHAR(36) NULL,
    PRIMARY KEY (`id`),
    INDEX `orders_status_completed` (`status`, `completed_at`),
    INDEX `orders_user_created` (`user_id`, `created_at`),
    CONSTRAINT `orders_completed_has_time` CHECK ((`status` = 'COMPLETED') = (`completed_at` IS NOT NULL))
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE `order_items` (
    `order_id` CHAR(36) NOT NULL,
    `product_id` CHAR(36) NOT NULL,
    `quantity` INTEGER UNSIGNED NOT NULL,
    `unit_price` BIGINT UNSIGNED NOT NULL,
    PRIMARY KEY (`order_id`, `product_id`),
    INDEX `order_items_product` (`product_id`),
    CONSTRAINT `order_items_quantity_positive` CHECK (`quantity` > 0),
    CONSTRAINT `order_items_order_id_fkey` FOREIGN KEY (`order_id`) REFERENCES `orders` (`id`) ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT `order_items_product_id_fkey` FOREIGN KEY (`product_id`) REFERENCES `products` (`id`) ON DELETE RESTRICT ON UPDATE CASCADE
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- One payment per order: the unique key is the last fence against paying twice.
CREATE TABLE `payments` (
    `id` CHAR(36) NOT NULL,
    `order_id` CHAR(36) NOT NULL,
    `amount` BIGINT UNSIGNED NOT NULL,
    `method` ENUM('CARD', 'BANK_TRANSFER', 'WALLET') NOT NULL,
    `created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    PRIMARY KEY (`id`),
    UNIQUE INDEX `payments_order_id` (`order_id`),
    CONSTRAINT `payments_order_id_fkey` FOREIGN KEY (`order_id`) REFERENCES `orders` (`id`) ON DELETE RESTRICT ON UPDATE CASCADE
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- Responses of requests sent with an Idempotency-Key, written in the request's own transaction.
CREATE TABLE `idempotency_keys` (
    `route` VARCHAR(100) NOT NULL,
    `idempotency_key` VARCHAR(100) NOT NULL,
    `fingerprint` CHAR(64) NOT NULL,
    `response` LONGTEXT NULL,
    `replays` INTEGER UNSIGNED NOT NULL DEFAULT 0,
    `created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    PRIMARY KEY (`route`, `idempotency_key`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- Transactional outbox (the table of @commerce/outbox, outboxTableSql).
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
