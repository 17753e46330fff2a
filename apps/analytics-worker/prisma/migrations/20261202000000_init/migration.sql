-- The analytics database, owned by analytics-worker. Facts keep one row per order line,
-- stock change and coupon result; aggregates are maintained in the same transaction as
-- the facts. The facts' keys start with the event id: that is how a redelivered event is
-- recognised (exactly once by event id). They have no other index: the read API reads the
-- aggregates only, and every index would cost every flush. Hours are stored as the UTC
-- instant their local hour (ANALYTICS_TIME_ZONE) starts, with the local calendar day
-- beside them. Money is in minor units.

CREATE TABLE order_line_facts (
    event_id CHAR(36) NOT NULL,
    line_no SMALLINT UNSIGNED NOT NULL,
    order_id VARCHAR(64) NOT NULL,
    user_id VARCHAR(100) NOT NULL,
    product_id VARCHAR(64) NOT NULL,
    quantity INT UNSIGNED NOT NULL,
    unit_price BIGINT UNSIGNED NOT NULL,
    revenue BIGINT UNSIGNED NOT NULL,
    currency CHAR(3) NOT NULL,
    occurred_at DATETIME(3) NOT NULL,
    hour_start DATETIME NOT NULL,
    PRIMARY KEY (event_id, line_no)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE stock_change_facts (
    event_id CHAR(36) NOT NULL PRIMARY KEY,
    product_id VARCHAR(64) NOT NULL,
    previous_stock INT NOT NULL,
    current_stock INT NOT NULL,
    reason VARCHAR(32) NOT NULL,
    order_id VARCHAR(64) NULL,
    occurred_at DATETIME(3) NOT NULL,
    hour_start DATETIME NOT NULL
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE coupon_result_facts (
    event_id CHAR(36) NOT NULL PRIMARY KEY,
    request_id VARCHAR(64) NOT NULL,
    coupon_id VARCHAR(64) NOT NULL,
    user_id VARCHAR(100) NOT NULL,
    outcome ENUM('ISSUED', 'FAILED') NOT NULL,
    reason VARCHAR(32) NULL,
    occurred_at DATETIME(3) NOT NULL,
    hour_start DATETIME NOT NULL
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE hourly_sales (
    hour_start DATETIME NOT NULL PRIMARY KEY,
    day CHAR(10) NOT NULL,
    orders INT UNSIGNED NOT NULL DEFAULT 0,
    revenue BIGINT UNSIGNED NOT NULL DEFAULT 0,
    buyers INT UNSIGNED NOT NULL DEFAULT 0,
    KEY hourly_sales_day (day)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- Who bought in each hour: distinct buyers of an hour, and of a day, are counted from here.
CREATE TABLE hourly_buyers (
    hour_start DATETIME NOT NULL,
    user_id VARCHAR(100) NOT NULL,
    day CHAR(10) NOT NULL,
    PRIMARY KEY (hour_start, user_id),
    KEY hourly_buyers_day (day, user_id)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE hourly_product_sales (
    hour_start DATETIME NOT NULL,
    product_id VARCHAR(64) NOT NULL,
    day CHAR(10) NOT NULL,
    units BIGINT UNSIGNED NOT NULL DEFAULT 0,
    revenue BIGINT UNSIGNED NOT NULL DEFAULT 0,
    PRIMARY KEY (hour_start, product_id),
    KEY hourly_product_sales_product (product_id, hour_start)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE coupon_stats (
    coupon_id VARCHAR(64) NOT NULL PRIMARY KEY,
    requested INT UNSIGNED NOT NULL DEFAULT 0,
    issued INT UNSIGNED NOT NULL DEFAULT 0,
    failed INT UNSIGNED NOT NULL DEFAULT 0,
    first_result_at DATETIME(3) NOT NULL,
    last_result_at DATETIME(3) NOT NULL,
    -- The first OUT_OF_STOCK result: the moment the coupon was seen sold out.
    sold_out_at DATETIME(3) NULL
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE coupon_failures (
    coupon_id VARCHAR(64) NOT NULL,
    reason VARCHAR(32) NOT NULL,
    count INT UNSIGNED NOT NULL DEFAULT 0,
    PRIMARY KEY (coupon_id, reason)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- Exactly once by offsets (the measured alternative): the next offset to apply per partition.
CREATE TABLE consumer_offsets (
    consumer_group VARCHAR(100) NOT NULL,
    topic VARCHAR(249) NOT NULL,
    partition_id INT UNSIGNED NOT NULL,
    next_offset BIGINT UNSIGNED NOT NULL,
    updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
    PRIMARY KEY (consumer_group, topic, partition_id)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
