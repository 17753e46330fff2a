-- The admission epoch of each coupon. coupon-api rebuilds a coupon's Redis queue from the
-- database under a new epoch (after Redis lost it); the request log then accepts only places
-- given under the current epoch, so a place given from the lost state and not yet logged is
-- given again instead of being missed. No foreign key to coupons: the admitted path reads
-- this row with a shared lock, and must not queue behind coupon-worker's lock on the coupon.
CREATE TABLE `coupon_admissions` (
    `coupon_id` VARCHAR(64) NOT NULL,
    `epoch` INTEGER UNSIGNED NOT NULL,
    `rebuilt_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    PRIMARY KEY (`coupon_id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
