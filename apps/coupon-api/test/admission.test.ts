import { randomUUID } from 'node:crypto';
import { couponMigrationsDir, createCouponDb, type PrismaClient } from '@commerce/coupon-db';
import { createDatabasePool } from '@commerce/db';
import { type FreshDatabase, freshDatabase } from '@commerce/db/testing';
import { stackAddresses, uniqueName } from '@commerce/testing';
import { Redis } from 'ioredis';
import type { Pool } from 'mariadb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdmission } from '../src/data-access/admission.ts';
import { admissionKeys } from '../src/data-access/admission-keys.ts';
import { readAdmissionSnapshot } from '../src/data-access/admission-snapshot.ts';
import { createPendingLog } from '../src/data-access/pending-log.ts';
import { createRequestLog } from '../src/data-access/requests.repository.ts';
import type { Admission } from '../src/domain/admission.ts';
import { requestCoupon } from '../src/domain/request-coupon.ts';
import { SupersededAdmission } from '../src/domain/request-log.ts';

// Admission and the request log on the real Redis and database: rebuilding a lost queue.
let database: FreshDatabase;
let prisma: PrismaClient;
let pool: Pool;
const redis = new Redis(stackAddresses().redisUrl);
const validUntil = new Date(Date.now() + 3_600_000);

beforeAll(async () => {
  database = await freshDatabase(couponMigrationsDir, 'coupon_admission');
  pool = createDatabasePool(database.url, 4);
  prisma = createCouponDb(database.url, 8);
});
afterAll(async () => {
  await pool?.end();
  await prisma?.$disconnect();
  await redis.quit();
  await database?.drop();
});

async function aCoupon(totalQuantity: number) {
  const id = uniqueName('c');
  await prisma.coupon.create({
    data: {
      id,
      name: 'c',
      discountType: 'AMOUNT',
      discountValue: 1,
      totalQuantity,
      validFrom: new Date(Date.now() - 60_000),
      validUntil,
    },
  });
  return { id, validUntil, validFrom: new Date(Date.now() - 60_000) };
}

const admission = (): Admission =>
  createAdmission(redis, { snapshot: readAdmissionSnapshot(prisma), keepAfterValidityMs: 60_000 });

describe('rebuilding a coupon queue from the database', () => {
  it('when requests are pending, decided and refused, then the rebuilt queue counts each once, keeps every user, and starts a new epoch each time', async () => {
    const coupon = await aCoupon(5);
    const row = (userId: string, sequence: number, status: 'PENDING' | 'COMPLETED' | 'FAILED') =>
      prisma.couponRequest.create({
        data: { requestId: randomUUID(), couponId: coupon.id, userId, sequence, status },
      });
    await row('u1', 1, 'COMPLETED');
    await prisma.userCoupon.create({
      data: { id: randomUUID(), couponId: coupon.id, userId: 'u1', requestId: randomUUID() },
    });
    await prisma.coupon.update({ where: { id: coupon.id }, data: { issuedQuantity: 1 } });
    await row('u2', 2, 'PENDING');
    await row('u3', 3, 'FAILED');

    const snapshot = readAdmissionSnapshot(prisma);
    const first = await snapshot(coupon.id);
    const second = await snapshot(coupon.id);

    expect({ ...first, users: [...first.users].sort() }).toEqual({
      epoch: 1,
      remaining: 3, // 5 - 1 issued - 1 pending
      lastSequence: 3,
      users: ['u1', 'u2', 'u3'],
    });
    expect(second.epoch).toBe(2);
  });

  it('when the queue is rebuilt while a place it gave waits to be logged, then the log refuses that place, and the shopper gets one of the rebuilt queue, logged once', async () => {
    const coupon = await aCoupon(2);
    const log = createRequestLog(prisma, createPendingLog(pool));
    const queue = admission();
    const refusals: unknown[] = [];
    // The race made deterministic: Redis loses the queue, and another shopper's request
    // rebuilds it, between this shopper's admission and the write of their request.
    const racingLog: typeof log = {
      ...log,
      async createPending(request, event) {
        if (refusals.length === 0) {
          await redis.del(...admissionKeys(coupon.id));
          expect(await queue.admit(coupon, 'other')).toMatchObject({
            kind: 'admitted',
            epoch: request.admissionEpoch + 1,
          });
        }
        return log.createPending(request, event).catch((err: unknown) => {
          refusals.push(err);
          throw err;
        });
      },
    };

    const accepted = await requestCoupon(
      {
        coupons: { find: async () => ({ ...coupon, ...couponDetails }) },
        requests: racingLog,
        admission: queue,
        now: () => new Date(),
        afterCommit: () => undefined,
      },
      { userId: 'late', couponId: coupon.id, trace: { correlationId: 'c' } },
    );

    expect(refusals).toEqual([expect.any(SupersededAdmission)]);
    expect(await prisma.couponRequest.findMany({ where: { couponId: coupon.id } })).toEqual([
      expect.objectContaining({ userId: 'late', requestId: accepted.requestId }),
    ]);
    // Both places are taken: 'other' holds one (admitted, not logged here), 'late' the other.
    expect(await queue.admit(coupon, 'third')).toEqual({ kind: 'sold-out' });
  });

  it('when a queue is rebuilt, then its keys share the coupon hash tag and expire after the coupon validity', async () => {
    const coupon = await aCoupon(3);
    await admission().admit(coupon, 'u1');

    for (const key of admissionKeys(coupon.id)) {
      expect(key.startsWith(`{coupon:${coupon.id}}:`)).toBe(true);
      const expiresAt = Date.now() + (await redis.pttl(key));
      expect(Math.abs(expiresAt - (validUntil.getTime() + 60_000))).toBeLessThan(5_000);
    }
  });
});

const couponDetails = {
  name: 'c',
  discountType: 'AMOUNT' as const,
  discountValue: 1,
  totalQuantity: 2,
  issuedQuantity: 0,
  remainingQuantity: 2,
  createdAt: new Date(),
};
