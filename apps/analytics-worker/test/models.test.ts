import { randomUUID } from 'node:crypto';
import { PrismaMariaDb } from '@prisma/adapter-mariadb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrismaClient } from '../src/generated/prisma/client.ts';
import { migratedDatabase } from './support/database.ts';

let database: Awaited<ReturnType<typeof migratedDatabase>>;
let prisma: PrismaClient;

beforeAll(async () => {
  database = await migratedDatabase();
  prisma = new PrismaClient({ adapter: new PrismaMariaDb(database.url) });
});
afterAll(async () => {
  await prisma?.$disconnect();
  await database?.drop();
});

describe('analytics database: schema.prisma matches the migrations', () => {
  it('when every model is written and read through Prisma Client, then the columns line up', async () => {
    const eventId = randomUUID();
    const occurredAt = new Date('2026-03-09T15:00:00.123Z');
    const hourStart = new Date('2026-03-09T15:00:00Z');
    const day = '2026-03-10';
    await prisma.orderLineFact.create({
      data: {
        eventId,
        lineNo: 0,
        orderId: 'o-1',
        userId: 'u-1',
        productId: 'p-1',
        quantity: 2,
        unitPrice: 1_500n,
        revenue: 3_000n,
        currency: 'KRW',
        occurredAt,
        hourStart,
      },
    });
    await prisma.stockChangeFact.create({
      data: {
        eventId: randomUUID(),
        productId: 'p-1',
        previousStock: 5,
        currentStock: 3,
        reason: 'ORDER_PAID',
        orderId: 'o-1',
        occurredAt,
        hourStart,
      },
    });
    await prisma.couponResultFact.create({
      data: {
        eventId: randomUUID(),
        requestId: 'r-1',
        couponId: 'c-1',
        userId: 'u-1',
        outcome: 'FAILED',
        reason: 'OUT_OF_STOCK',
        occurredAt,
        hourStart,
      },
    });
    await prisma.hourlySales.create({
      data: { hourStart, day, orders: 1, revenue: 3_000n, buyers: 1 },
    });
    await prisma.hourlyBuyer.create({ data: { hourStart, userId: 'u-1', day } });
    await prisma.hourlyProductSales.create({
      data: { hourStart, productId: 'p-1', day, units: 2n, revenue: 3_000n },
    });
    await prisma.couponStats.create({
      data: {
        couponId: 'c-1',
        requested: 1,
        failed: 1,
        firstResultAt: occurredAt,
        lastResultAt: occurredAt,
        soldOutAt: occurredAt,
      },
    });
    await prisma.couponFailure.create({
      data: { couponId: 'c-1', reason: 'OUT_OF_STOCK', count: 1 },
    });
    await prisma.consumerOffset.create({
      data: { consumerGroup: 'g', topic: 't', partitionId: 2, nextOffset: 42n },
    });

    expect(await prisma.orderLineFact.findFirstOrThrow()).toMatchObject({
      eventId,
      revenue: 3_000n,
      occurredAt,
      hourStart,
    });
    expect(await prisma.stockChangeFact.findFirstOrThrow()).toMatchObject({
      currentStock: 3,
      orderId: 'o-1',
    });
    expect(await prisma.couponResultFact.findFirstOrThrow()).toMatchObject({ outcome: 'FAILED' });
    expect(await prisma.hourlySales.findFirstOrThrow()).toMatchObject({
      day,
      revenue: 3_000n,
      buyers: 1,
    });
    expect(await prisma.hourlyBuyer.count()).toBe(1);
    expect(await prisma.hourlyProductSales.findFirstOrThrow()).toMatchObject({ units: 2n });
    expect(await prisma.couponStats.findFirstOrThrow()).toMatchObject({
      issued: 0,
      failed: 1,
      soldOutAt: occurredAt,
    });
    expect(await prisma.couponFailure.findFirstOrThrow()).toMatchObject({ count: 1 });
    expect(await prisma.consumerOffset.findFirstOrThrow()).toMatchObject({
      nextOffset: 42n,
      updatedAt: expect.any(Date),
    });
  });
});
