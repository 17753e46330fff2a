import { randomUUID } from 'node:crypto';
import { couponMigrationsDir, createCouponDb, type PrismaClient } from '@commerce/coupon-db';
import { formatDatabaseUrl, migrate } from '@commerce/db';
import { PermanentError } from '@commerce/kafka';
import { stackAddresses, uniqueName } from '@commerce/testing';
import { Redis } from 'ioredis';
import { createConnection } from 'mariadb';
import { pino } from 'pino';
import Redlock from 'redlock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIssuanceStore } from '../src/data-access/issuance.repository.ts';
import { createUserLocks } from '../src/data-access/user-locks.ts';
import { type IssueCouponDeps, issueCoupon } from '../src/domain/issue-coupon.ts';
import type { IssueRequest } from '../src/domain/model.ts';
import { couponIssueRequestedHandler } from '../src/handlers/coupon-issue-requested.handler.ts';

const { mysql, redisUrl } = stackAddresses();
const db = { ...mysql, database: uniqueName('coupon_worker') };
let prisma: PrismaClient;
const redis = new Redis(redisUrl);

beforeAll(async () => {
  await migrate(db, couponMigrationsDir);
  prisma = createCouponDb(formatDatabaseUrl(db), 20);
});
afterAll(async () => {
  await prisma.$disconnect();
  await redis.quit();
  const conn = await createConnection(mysql);
  await conn.query(`DROP DATABASE IF EXISTS \`${db.database}\``);
  await conn.end();
});

const now = new Date('2026-11-26T12:00:00Z');
const silent = pino({ level: 'silent' });
/** The use case over the real repository and lock; built when a test runs (prisma is set then). */
const issueDeps = (retries = 3, afterCommit: () => void = () => undefined): IssueCouponDeps => ({
  store: createIssuanceStore(prisma),
  locks: createUserLocks(new Redlock([redis], { retryCount: retries, retryDelay: 20 }), {
    ttlMs: 5_000,
    logger: silent,
  }),
  now: () => now,
  afterCommit,
});
const issueOnce = (request: IssueRequest) => issueCoupon(issueDeps(), request);
const handle = (request: IssueRequest) =>
  couponIssueRequestedHandler(issueDeps(20))({ ...request, occurredAt: now.getTime() }, context);
const context = { log: silent, topic: 't', partition: 0, offset: '0', key: null, headers: {} };
/** As the consumer runner does: transient failures (lock busy, unique race) are tried again. */
async function deliver(request: IssueRequest, attempts = 5): Promise<void> {
  try {
    await handle(request);
  } catch (err) {
    if (attempts <= 1) throw err;
    await deliver(request, attempts - 1);
  }
}
async function coupon(
  totalQuantity: number,
  window = { from: '2026-11-26T00:00:00Z', until: '2026-11-27T00:00:00Z' },
) {
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

/** A request as coupon-api leaves it: a PENDING log row; the event is what Kafka delivers. */
async function pending(couponId: string, userId: string, sequence = 1): Promise<IssueRequest> {
  const request = {
    eventId: randomUUID(),
    requestId: randomUUID(),
    userId,
    couponId,
    sequence,
    correlationId: 'c',
  };
  await prisma.couponRequest.create({
    data: { requestId: request.requestId, couponId, userId, sequence: BigInt(sequence) },
  });
  return request;
}

const outboxTypes = async (requestId: string) =>
  (await prisma.outboxEvent.findMany({ orderBy: { id: 'asc' } }))
    .filter((row) => JSON.parse(row.payload).requestId === requestId)
    .map((row) => row.eventType);

describe('issuing in one transaction', () => {
  it('when stock is left, then the coupon is issued, the request COMPLETED, and both result events are in the outbox', async () => {
    const request = await pending(await coupon(1), 'u1');
    let woken = 0;
    const outcome = await issueCoupon(
      issueDeps(3, () => {
        woken++;
      }),
      request,
    );

    expect(outcome).toEqual({ kind: 'issued', userCouponId: expect.any(String) });
    expect(
      await prisma.couponRequest.findUnique({ where: { requestId: request.requestId } }),
    ).toMatchObject({
      status: 'COMPLETED',
      userCouponId: outcome?.kind === 'issued' ? outcome.userCouponId : 'x',
      completedAt: now,
    });
    expect(await outboxTypes(request.requestId)).toEqual(['CouponIssueSucceeded', 'CouponIssued']);
    expect(woken).toBe(1); // the relay is woken after the commit
  });

  it('when the same event is delivered again, then nothing changes', async () => {
    const couponId = await coupon(5);
    const request = await pending(couponId, 'u1');
    await issueOnce(request);
    const before = {
      coupons: await prisma.userCoupon.count(),
      outbox: await prisma.outboxEvent.count(),
    };

    expect(await issueOnce(request)).toBeNull();
    expect({
      coupons: await prisma.userCoupon.count(),
      outbox: await prisma.outboxEvent.count(),
    }).toEqual(before);
    expect(
      (await prisma.coupon.findUniqueOrThrow({ where: { id: couponId } })).issuedQuantity,
    ).toBe(1);
  });

  it.each([
    [
      'the coupon has expired',
      { from: '2026-11-01T00:00:00Z', until: '2026-11-26T11:00:00Z' },
      'EXPIRED',
    ],
    [
      'the coupon has not started',
      { from: '2026-11-26T13:00:00Z', until: '2026-11-27T00:00:00Z' },
      'NOT_STARTED',
    ],
  ] as const)(
    'when %s, then the request FAILS with %s and no coupon is issued',
    async (_, window, reason) => {
      const request = await pending(await coupon(5, window), 'u1');
      expect(await issueOnce(request)).toEqual({ kind: 'rejected', reason });
      expect(
        await prisma.couponRequest.findUnique({ where: { requestId: request.requestId } }),
      ).toMatchObject({ status: 'FAILED', reason });
      expect(await outboxTypes(request.requestId)).toEqual(['CouponIssueFailed']);
    },
  );

  it('when the coupon does not exist, then COUPON_NOT_FOUND', async () => {
    const request = await pending('ghost-coupon', 'u1');
    expect(await issueOnce(request)).toEqual({
      kind: 'rejected',
      reason: 'COUPON_NOT_FOUND',
    });
  });

  it('when more requests come than coupons (Redis over-admitted), then the database refuses the extra as OUT_OF_STOCK', async () => {
    const couponId = await coupon(1);
    const [a, b] = [await pending(couponId, 'u1', 1), await pending(couponId, 'u2', 2)];
    expect((await issueOnce(a))?.kind).toBe('issued');
    expect(await issueOnce(b)).toEqual({ kind: 'rejected', reason: 'OUT_OF_STOCK' });
  });

  it('when a user already has the coupon (Redis forgot them), then ALREADY_ISSUED and stock is untouched', async () => {
    const couponId = await coupon(5);
    await issueOnce(await pending(couponId, 'u1', 1));
    expect(await issueOnce(await pending(couponId, 'u1', 2))).toEqual({
      kind: 'rejected',
      reason: 'ALREADY_ISSUED',
    });
    expect(
      (await prisma.coupon.findUniqueOrThrow({ where: { id: couponId } })).issuedQuantity,
    ).toBe(1);
  });

  it('when the request is not in the log, then the handler fails it for good (dead letter) and nothing is written', async () => {
    const couponId = await coupon(5);
    const request = {
      eventId: randomUUID(),
      requestId: randomUUID(),
      userId: 'u1',
      couponId,
      sequence: 1,
      correlationId: 'c',
    };
    const handled = handle(request);
    await expect(handled).rejects.toBeInstanceOf(PermanentError);
    await expect(handled).rejects.toMatchObject({ code: 'UNKNOWN_REQUEST' });
    expect(await outboxTypes(request.requestId)).toEqual([]);
    expect(
      (await prisma.coupon.findUniqueOrThrow({ where: { id: couponId } })).issuedQuantity,
    ).toBe(0);
  });
});

describe('the handler under concurrency', () => {
  it('when 60 requests from 30 users (two each) race for 10 coupons, then exactly 10 users get one each', async () => {
    const couponId = await coupon(10);
    const requests = await Promise.all(
      Array.from({ length: 60 }, (_, i) => pending(couponId, `racer-${i % 30}`, i + 1)),
    );

    await Promise.all(requests.map((request) => deliver(request)));

    const issued = await prisma.userCoupon.findMany({ where: { couponId } });
    expect(issued).toHaveLength(10);
    expect(new Set(issued.map((c) => c.userId)).size).toBe(10);
    expect(await prisma.couponRequest.count({ where: { couponId, status: 'PENDING' } })).toBe(0);
  });
});
