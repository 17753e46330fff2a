import { randomUUID } from 'node:crypto';
import { couponMigrationsDir, createCouponDb, type PrismaClient } from '@commerce/coupon-db';
import { createDatabasePool } from '@commerce/db';
import { type FreshDatabase, freshDatabase } from '@commerce/db/testing';
import { classifyFailure } from '@commerce/kafka';
import { freePort, stackAddresses, uniqueName } from '@commerce/testing';
import { Redis } from 'ioredis';
import type { Pool } from 'mariadb';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPendingLog } from '../src/data-access/pending-log.ts';
import { createRequestLog } from '../src/data-access/requests.repository.ts';
import { createResultHub } from '../src/data-access/result-hub.ts';
import type { CouponResult } from '../src/domain/coupon-result.ts';
import { notifyResults } from '../src/domain/notify-results.ts';

// The result side of coupon-api on the real Redis and database: a batch of decisions is
// broadcast at once and marked NOTIFIED in one statement.
const { redisUrl } = stackAddresses();
const logger = pino({ level: 'silent' });
let database: FreshDatabase;
let prisma: PrismaClient;
let pool: Pool;
const connections: Redis[] = [];
const redis = () => {
  const client = new Redis(redisUrl);
  connections.push(client);
  return client;
};

beforeAll(async () => {
  database = await freshDatabase(couponMigrationsDir, 'coupon_results');
  pool = createDatabasePool(database.url, 4);
  prisma = createCouponDb(database.url, 4);
});
afterAll(async () => {
  await Promise.all(connections.map((c) => c.quit().catch(() => undefined)));
  await pool?.end();
  await prisma?.$disconnect();
  await database?.drop();
});

async function decided(count: number): Promise<CouponResult[]> {
  const couponId = uniqueName('c');
  const rows = Array.from({ length: count }, (_, i) => ({
    requestId: randomUUID(),
    couponId,
    userId: `u${i % 3}`,
    sequence: BigInt(i + 1),
    status: 'FAILED' as const,
    reason: 'OUT_OF_STOCK' as const,
    completedAt: new Date(),
  }));
  await prisma.couponRequest.createMany({ data: rows });
  return rows.map((row) => ({
    requestId: row.requestId,
    couponId,
    userId: row.userId,
    sequence: Number(row.sequence),
    status: 'FAILED',
    reason: row.reason,
    userCouponId: null,
    completedAt: row.completedAt.toISOString(),
  }));
}

describe('notifying a batch of results', () => {
  it('when a batch of 300 results is notified, then every listening shopper gets theirs and every request is NOTIFIED', async () => {
    const channel = uniqueName('coupon-results');
    const hub = createResultHub({ publisher: redis(), subscriber: redis(), logger, channel });
    await hub.start();
    const received: string[] = [];
    hub.listen('u1', (result) => received.push(result.requestId));
    const results = await decided(300);

    await notifyResults(
      { broadcast: hub, requests: createRequestLog(prisma, createPendingLog(pool)) },
      results,
    );

    const forU1 = results.filter((r) => r.userId === 'u1').map((r) => r.requestId);
    await expect.poll(() => received.length).toBe(forU1.length);
    expect(received).toEqual(forU1);
    expect(
      await prisma.couponRequest.count({
        where: { requestId: { in: results.map((r) => r.requestId) }, status: 'NOTIFIED' },
      }),
    ).toBe(300);
  });

  it('when a batch of results is delivered again, whole and in part, then the requests stay as the first delivery left them', async () => {
    const hub = createResultHub({ publisher: redis(), subscriber: redis(), logger });
    await hub.start();
    const requests = createRequestLog(prisma, createPendingLog(pool));
    const results = await decided(20);
    const rows = () =>
      prisma.couponRequest.findMany({
        where: { requestId: { in: results.map((r) => r.requestId) } },
        orderBy: { requestId: 'asc' },
      });

    await notifyResults({ broadcast: hub, requests }, results);
    const once = await rows();
    expect(once.every((row) => row.status === 'NOTIFIED' && row.notifiedAt !== null)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 20)); // a second notifiedAt would differ
    await notifyResults({ broadcast: hub, requests }, results);
    await notifyResults({ broadcast: hub, requests }, results.slice(5, 12));

    expect(await rows()).toEqual(once);
  });

  it('when Redis cannot be reached, then broadcasting fails as a transient error (retried, the process keeps running) and nothing is NOTIFIED', async () => {
    const unreachable = new Redis(`redis://127.0.0.1:${await freePort()}`, {
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    unreachable.on('error', () => undefined);
    connections.push(unreachable);
    const hub = createResultHub({ publisher: unreachable, subscriber: redis(), logger });
    const results = await decided(2);

    const notified = notifyResults(
      { broadcast: hub, requests: createRequestLog(prisma, createPendingLog(pool)) },
      results,
    );

    const err = await notified.catch((e: unknown) => e);
    expect(classifyFailure(err)).toBe('transient');
    expect(
      await prisma.couponRequest.count({
        where: { requestId: { in: results.map((r) => r.requestId) }, status: 'NOTIFIED' },
      }),
    ).toBe(0);
  });
});
