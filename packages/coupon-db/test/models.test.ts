import { randomUUID } from 'node:crypto';
import { formatDatabaseUrl, migrate, recordProcessedEvent, sqlExecutor } from '@commerce/db';
import { enqueueEvents } from '@commerce/outbox';
import { stackAddresses, uniqueName } from '@commerce/testing';
import { createConnection } from 'mariadb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { couponMigrationsDir, createCouponDb, type PrismaClient } from '../src/index.ts';

const server = stackAddresses().mysql;
const db = { ...server, database: uniqueName('coupon_models') };
let prisma: PrismaClient;

beforeAll(async () => {
  await migrate(db, couponMigrationsDir);
  prisma = createCouponDb(formatDatabaseUrl(db), 4);
});
afterAll(async () => {
  await prisma.$disconnect();
  const conn = await createConnection(server);
  await conn.query(`DROP DATABASE IF EXISTS \`${db.database}\``);
  await conn.end();
});

describe('coupon database: schema.prisma matches the migrations', () => {
  it('when every model is written and read through Prisma Client, then the columns line up', async () => {
    const couponId = uniqueName('coupon');
    const requestId = randomUUID();
    const coupon = await prisma.coupon.create({
      data: {
        id: couponId,
        name: 'Black Friday 10%',
        discountType: 'PERCENT',
        discountValue: 10,
        totalQuantity: 2,
        validFrom: new Date('2026-11-01T00:00:00Z'),
        validUntil: new Date('2026-12-01T00:00:00Z'),
      },
    });
    await prisma.couponRequest.create({
      data: { requestId, couponId, userId: 'u1', sequence: 1n, idempotencyKey: 'k1' },
    });
    const userCoupon = await prisma.userCoupon.create({
      data: { id: randomUUID(), couponId, userId: 'u1', requestId },
    });
    await prisma.couponRequest.update({
      where: { requestId },
      data: { status: 'COMPLETED', userCouponId: userCoupon.id, completedAt: new Date() },
    });
    await prisma.$transaction(async (tx) => {
      expect(await recordProcessedEvent(tx, 'coupon-worker', randomUUID())).toBe(true);
    });

    expect(coupon).toMatchObject({
      issuedQuantity: 0,
      discountType: 'PERCENT',
      createdAt: expect.any(Date),
    });
    expect(await prisma.couponRequest.findUniqueOrThrow({ where: { requestId } })).toMatchObject({
      status: 'COMPLETED',
      reason: null,
      sequence: 1n,
      userCouponId: userCoupon.id,
    });
    expect(
      await prisma.userCoupon.findMany({ where: { userId: 'u1' }, include: { coupon: true } }),
    ).toEqual([
      expect.objectContaining({ requestId, coupon: expect.objectContaining({ id: couponId }) }),
    ]);
    expect(await prisma.processedEvent.count()).toBe(1);
    await prisma.couponAdmission.create({ data: { couponId, epoch: 1 } });
    expect(await prisma.couponAdmission.findUniqueOrThrow({ where: { couponId } })).toMatchObject({
      epoch: 1,
      rebuiltAt: expect.any(Date),
    });
  });

  it('when the outbox helper writes rows, then the OutboxEvent model reads them (same table as @commerce/outbox)', async () => {
    const conn = await createConnection(db);
    await enqueueEvents(sqlExecutor(conn), [
      {
        topic: 'coupon-requests',
        key: 'u1',
        type: 'CouponIssueRequested',
        correlationId: 'c1',
        payload: {
          eventId: randomUUID(),
          occurredAt: Date.now(),
          requestId: randomUUID(),
          userId: 'u1',
          couponId: 'x',
          sequence: 1,
        },
      },
    ]);
    await conn.end();
    expect(await prisma.outboxEvent.findFirst()).toMatchObject({
      topic: 'coupon-requests',
      publishedAt: null,
      attempts: 0,
    });
    // The whole table is checked against outboxTableSql in packages/outbox/test/table.test.ts.
  });

  it('when issuing would pass the total or give a user a second coupon, then the database refuses', async () => {
    const couponId = uniqueName('coupon');
    await prisma.coupon.create({
      data: {
        id: couponId,
        name: 'one left',
        discountType: 'AMOUNT',
        discountValue: 1000,
        totalQuantity: 1,
        issuedQuantity: 1,
        validFrom: new Date('2026-01-01'),
        validUntil: new Date('2027-01-01'),
      },
    });
    await expect(
      prisma.coupon.update({ where: { id: couponId }, data: { issuedQuantity: { increment: 1 } } }),
    ).rejects.toThrow();
    await prisma.userCoupon.create({
      data: { id: randomUUID(), couponId, userId: 'u9', requestId: randomUUID() },
    });
    await expect(
      prisma.userCoupon.create({
        data: { id: randomUUID(), couponId, userId: 'u9', requestId: randomUUID() },
      }),
    ).rejects.toThrow();
  });
});
