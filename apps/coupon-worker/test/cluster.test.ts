import { createRedisClient, type RedisClient } from '@commerce/service';
import { type LocalRedisCluster, startRedisCluster } from '@commerce/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { userLockKey } from '../src/data-access/user-locks.ts';
import { issueCoupons } from '../src/domain/issue-coupons.ts';
import { createIssuanceHarness, type IssuanceHarness } from './support/harness.ts';

// The worker's locks on a real Redis Cluster of three masters (REDIS_CLUSTER=true): a
// batch takes the locks of all its users on a coupon in one script, so they must share a slot.
let h: IssuanceHarness;
let cluster: LocalRedisCluster;
let redis: RedisClient;
beforeAll(async () => {
  [h, cluster] = await Promise.all([createIssuanceHarness(), startRedisCluster()]);
  redis = createRedisClient(cluster.url, { cluster: true });
}, 60_000);
afterAll(async () => {
  await redis?.quit();
  await cluster?.stop();
  await h?.close();
});

describe('coupon-worker on Redis Cluster', () => {
  it('when a batch of 50 users is decided with its locks on a cluster, then all locks are taken at once in one slot and the batch is decided', async () => {
    const couponId = await h.coupon(30);
    const requests = await h.pendingMany(
      couponId,
      Array.from({ length: 50 }, (_, i) => ({ userId: `u${i}`, sequence: i + 1 })),
    );

    const { decided } = await issueCoupons(h.deps(3, undefined, redis), requests);

    expect(decided.filter((d) => d.outcome.kind === 'issued')).toHaveLength(30);
    const slots = await Promise.all(
      ['u0', 'u49'].map((u) => redis.cluster('KEYSLOT', userLockKey(couponId, u))),
    );
    expect(slots[0]).toBe(slots[1]);
    expect(await redis.exists(userLockKey(couponId, 'u0'))).toBe(0); // released after commit
  });
});
