import { TransientError } from '@commerce/kafka';
import type { Logger } from 'pino';
import type Redlock from 'redlock';
import type { UserLocks } from '../domain/issuance-store.ts';

export interface UserLocksOptions {
  /** How long a lock lives if this process dies holding it. */
  ttlMs: number;
  logger: Logger;
}

/** The seed's per-user lock key; it carries the coupon's hash tag like coupon-api's admission keys. */
export const userLockKey = (couponId: string, userId: string) =>
  `{coupon:${couponId}}:user:${userId}`;

/**
 * The seed's per-user locks, taken with redlock: a batch takes the locks of all its users
 * on one coupon in one acquisition (one script over keys of one Redis Cluster slot).
 */
export function createUserLocks(redlock: Redlock, options: UserLocksOptions): UserLocks {
  return {
    async holding(couponId, userIds, work) {
      const keys = userIds.map((userId) => userLockKey(couponId, userId));
      let lock: Awaited<ReturnType<Redlock['acquire']>>;
      try {
        lock = await redlock.acquire(keys, options.ttlMs);
      } catch (err) {
        throw new TransientError(
          `a lock of ${keys.length} users on coupon ${couponId} is held elsewhere`,
          { cause: err },
        );
      }
      try {
        return await work();
      } finally {
        await lock
          .release()
          .catch((err: unknown) =>
            options.logger.warn({ err, couponId }, 'lock release failed; it expires by itself'),
          );
      }
    },
  };
}
