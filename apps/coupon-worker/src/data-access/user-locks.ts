import { TransientError } from '@commerce/kafka';
import type { Logger } from 'pino';
import type Redlock from 'redlock';
import type { UserLocks } from '../domain/issuance-store.ts';

export interface UserLocksOptions {
  /** How long a lock lives if this process dies holding it. */
  ttlMs: number;
  logger: Logger;
}

/**
 * The seed's per-user lock, taken with redlock. Its key carries the coupon's hash tag
 * `{coupon:<id>}` like coupon-api's admission keys: one Redis Cluster slot per coupon.
 */
export function createUserLocks(redlock: Redlock, options: UserLocksOptions): UserLocks {
  return {
    async holding(couponId, userId, work) {
      const lockKey = `{coupon:${couponId}}:user:${userId}`;
      let lock: Awaited<ReturnType<Redlock['acquire']>>;
      try {
        lock = await redlock.acquire([lockKey], options.ttlMs);
      } catch (err) {
        throw new TransientError(`lock ${lockKey} is held elsewhere`, { cause: err });
      }
      try {
        return await work();
      } finally {
        await lock
          .release()
          .catch((err: unknown) =>
            options.logger.warn({ err, lockKey }, 'lock release failed; it expires by itself'),
          );
      }
    },
  };
}
