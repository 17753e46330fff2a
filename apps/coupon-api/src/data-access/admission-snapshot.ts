import type { PrismaClient } from '@commerce/coupon-db';
import type { AdmissionSnapshot } from './admission.ts';

/**
 * A coupon's admission queue as the database sees it, under a new admission epoch.
 *
 * One transaction, in this order: bumping the epoch takes the coupon's admission row
 * exclusively, so it waits for every request-log write that checked the old epoch (they
 * hold the row shared) and fences out the ones not written yet (they see the new epoch and
 * ask for a place again). The reads that follow see one consistent snapshot (REPEATABLE
 * READ: the read view starts at the first read, after the bump): a request the worker
 * decides meanwhile counts once, as issued or as pending, never as both.
 */
export function readAdmissionSnapshot(prisma: PrismaClient) {
  return (couponId: string): Promise<AdmissionSnapshot> =>
    prisma.$transaction(
      async (tx) => {
        await tx.$executeRaw`INSERT INTO coupon_admissions (coupon_id, epoch) VALUES (${couponId}, 1)
          ON DUPLICATE KEY UPDATE epoch = epoch + 1, rebuilt_at = CURRENT_TIMESTAMP(3)`;
        const [queue] = await tx.$queryRaw<
          { epoch: number; remaining: bigint | null; lastSequence: bigint | null }[]
        >`SELECT a.epoch,
            (SELECT CAST(c.total_quantity AS SIGNED) - c.issued_quantity FROM coupons c WHERE c.id = a.coupon_id)
              - (SELECT COUNT(*) FROM coupon_requests r WHERE r.coupon_id = a.coupon_id AND r.status = 'PENDING')
              AS remaining,
            (SELECT MAX(r.sequence) FROM coupon_requests r WHERE r.coupon_id = a.coupon_id) AS lastSequence
          FROM coupon_admissions a WHERE a.coupon_id = ${couponId}`;
        // Everyone who ever took a place keeps it (as the lost queue did), decided or not.
        const users = await tx.$queryRaw<{ userId: string }[]>`
          SELECT user_id AS userId FROM coupon_requests WHERE coupon_id = ${couponId}
          UNION SELECT user_id FROM user_coupons WHERE coupon_id = ${couponId}`;
        return {
          epoch: Number(queue?.epoch ?? 0),
          remaining: Number(queue?.remaining ?? 0),
          lastSequence: Number(queue?.lastSequence ?? 0),
          users: users.map((u) => u.userId),
        };
      },
      { isolationLevel: 'RepeatableRead' },
    );
}
