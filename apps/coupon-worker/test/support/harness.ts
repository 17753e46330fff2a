import { randomUUID } from 'node:crypto';
import { couponMigrationsDir, createCouponDb, type PrismaClient } from '@commerce/coupon-db';
import { type FreshDatabase, freshDatabase } from '@commerce/db/testing';
import type { RedisClient } from '@commerce/service';
import { stackAddresses, uniqueName } from '@commerce/testing';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import Redlock from 'redlock';
import { createIssuanceStore } from '../../src/data-access/issuance.repository.ts';
import { createUserLocks } from '../../src/data-access/user-locks.ts';
import type { IssueCouponsDeps } from '../../src/domain/issue-coupons.ts';
import type { IssueRequest } from '../../src/domain/model.ts';

export const now = new Date('2026-11-26T12:00:00Z');
export const silent = pino({ level: 'silent' });
const openWindow = { from: '2026-11-26T00:00:00Z', until: '2026-11-27T00:00:00Z' };

/** A coupon database of its own with the real store and locks; close() drops it. */
export async function createIssuanceHarness() {
  const database: FreshDatabase = await freshDatabase(couponMigrationsDir, 'coupon_worker');
  const prisma: PrismaClient = createCouponDb(database.url, 20);
  const redis = new Redis(stackAddresses().redisUrl);

  /** The use case's dependencies over the real repository and lock. */
  const deps = (
    retries = 3,
    afterCommit: () => void = () => undefined,
    lockServer: RedisClient = redis,
  ): IssueCouponsDeps => ({
    store: createIssuanceStore(prisma),
    locks: createUserLocks(new Redlock([lockServer], { retryCount: retries, retryDelay: 20 }), {
      ttlMs: 5_000,
      logger: silent,
    }),
    now: () => now,
    afterCommit,
  });

  async function coupon(totalQuantity: number, window = openWindow) {
    const id = uniqueName('c');
    await prisma.coupon.create({
      data: {
        id,
        name: 'c',
        discountType: 'AMOUNT',
        discountValue: 1,
        totalQuantity,
        validFrom: new Date(window.from),
        validUntil: new Date(window.until),
      },
    });
    return id;
  }

  /** Requests as coupon-api leaves them: PENDING log rows; the events are what Kafka delivers. */
  async function pendingMany(
    couponId: string,
    senders: readonly { userId: string; sequence: number }[],
  ): Promise<IssueRequest[]> {
    const requests = senders.map(({ userId, sequence }) => ({
      eventId: randomUUID(),
      requestId: randomUUID(),
      userId,
      couponId,
      sequence,
      correlationId: 'c',
    }));
    for (let i = 0; i < requests.length; i += 1_000) {
      await prisma.couponRequest.createMany({
        data: requests.slice(i, i + 1_000).map((r) => ({
          requestId: r.requestId,
          couponId,
          userId: r.userId,
          sequence: BigInt(r.sequence),
        })),
      });
    }
    return requests;
  }
  const pending = async (couponId: string, userId: string, sequence = 1) =>
    (await pendingMany(couponId, [{ userId, sequence }]))[0] as IssueRequest;

  return {
    /** For a coupon-worker process on this database. */
    databaseUrl: database.url,
    prisma,
    redis,
    deps,
    coupon,
    pending,
    pendingMany,
    async close() {
      await prisma.$disconnect();
      await redis.quit();
      await database.drop();
    },
  };
}

export type IssuanceHarness = Awaited<ReturnType<typeof createIssuanceHarness>>;
