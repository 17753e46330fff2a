import { couponMigrationsDir, createCouponDb, type PrismaClient } from '@commerce/coupon-db';
import { type FreshDatabase, freshDatabase } from '@commerce/db/testing';
import { createRedisClient, type RedisClient } from '@commerce/service';
import { type LocalRedisCluster, startRedisCluster, uniqueName } from '@commerce/testing';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdmission } from '../src/data-access/admission.ts';
import { admissionKeys } from '../src/data-access/admission-keys.ts';
import { readAdmissionSnapshot } from '../src/data-access/admission-snapshot.ts';
import { createResultHub } from '../src/data-access/result-hub.ts';
import type { CouponResult } from '../src/domain/coupon-result.ts';

// coupon-api's Redis parts on a real Redis Cluster of three masters (REDIS_CLUSTER=true).
let cluster: LocalRedisCluster;
let database: FreshDatabase;
let prisma: PrismaClient;
const clients: RedisClient[] = [];
const connect = () => {
  const client = createRedisClient(cluster.url, { cluster: true });
  clients.push(client);
  return client;
};

beforeAll(async () => {
  [cluster, database] = await Promise.all([
    startRedisCluster(),
    freshDatabase(couponMigrationsDir, 'coupon_cluster'),
  ]);
  prisma = createCouponDb(database.url, 4);
}, 60_000);
afterAll(async () => {
  await Promise.all(clients.map((c) => c.quit().catch(() => undefined)));
  await prisma?.$disconnect();
  await database?.drop();
  await cluster?.stop();
});

async function aCoupon(totalQuantity: number) {
  const coupon = {
    id: uniqueName('c'),
    validFrom: new Date(Date.now() - 60_000),
    validUntil: new Date(Date.now() + 3_600_000),
  };
  await prisma.coupon.create({
    data: { ...coupon, name: 'c', discountType: 'AMOUNT', discountValue: 1, totalQuantity },
  });
  return coupon;
}

describe('coupon-api on Redis Cluster', () => {
  it('when coupons are admitted on a cluster, then the scripts run unchanged: places, duplicates, sold out, release and a rebuild, each coupon in one slot', async () => {
    const redis = connect();
    const admission = createAdmission(redis, { snapshot: readAdmissionSnapshot(prisma) });
    const [two, one] = [await aCoupon(2), await aCoupon(1)];

    const answers = [
      await admission.admit(two, 'u1'),
      await admission.admit(two, 'u1'),
      await admission.admit(two, 'u2'),
      await admission.admit(two, 'u3'),
      await admission.admit(one, 'u1'),
    ];
    await admission.release(two.id, 'u2');
    const afterRelease = await admission.admit(two, 'u3');
    await redis.del(...admissionKeys(two.id)); // one command: the keys share a slot
    const afterLoss = await admission.admit(two, 'u4');

    expect(answers.map((a) => a.kind)).toEqual([
      'admitted',
      'duplicate',
      'admitted',
      'sold-out',
      'admitted',
    ]);
    expect(afterRelease).toMatchObject({ kind: 'admitted', sequence: 3 });
    expect(afterLoss).toMatchObject({ kind: 'admitted', epoch: 2 });
    const slots = await Promise.all(
      admissionKeys(two.id).map((key) => redis.cluster('KEYSLOT', key)),
    );
    expect(new Set(slots).size).toBe(1);
  });

  it('when a result is broadcast on a cluster, then a subscriber of another connection receives it', async () => {
    const channel = uniqueName('coupon-results');
    const hub = createResultHub({
      publisher: connect(),
      subscriber: connect(),
      logger: pino({ level: 'silent' }),
      channel,
    });
    await hub.start();
    const received: string[] = [];
    hub.listen('u1', (result) => received.push(result.requestId));
    const result: CouponResult = {
      requestId: 'r1',
      couponId: 'c',
      userId: 'u1',
      sequence: 1,
      status: 'FAILED',
      reason: 'OUT_OF_STOCK',
      userCouponId: null,
      completedAt: new Date().toISOString(),
    };

    await hub.publish([result]);

    await expect.poll(() => received).toEqual(['r1']);
  });
});
