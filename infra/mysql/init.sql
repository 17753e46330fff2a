-- One database per owning service (DESIGN.md); the services migrate their own schema.
CREATE DATABASE IF NOT EXISTS coupon CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE DATABASE IF NOT EXISTS orders CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE DATABASE IF NOT EXISTS webhook CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE DATABASE IF NOT EXISTS analytics CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
GRANT ALL PRIVILEGES ON coupon.* TO 'commerce'@'%';
GRANT ALL PRIVILEGES ON orders.* TO 'commerce'@'%';
GRANT ALL PRIVILEGES ON webhook.* TO 'commerce'@'%';
GRANT ALL PRIVILEGES ON analytics.* TO 'commerce'@'%';
