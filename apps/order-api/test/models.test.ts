import { randomUUID } from 'node:crypto';
import { parseDatabaseUrl, sqlExecutor } from '@commerce/db';
import { anEvent } from '@commerce/events/testing';
import { enqueueEvents } from '@commerce/outbox';
import { createConnection } from 'mariadb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrderDb, type PrismaClient } from '../src/data-access/order-db.ts';
import { freshDatabase } from './support/harness.ts';

let database: Awaited<ReturnType<typeof freshDatabase>>;
let prisma: PrismaClient;

beforeAll(async () => {
  database = await freshDatabase('order_models');
  prisma = createOrderDb(database.url, 4);
});
afterAll(async () => {
  await prisma?.$disconnect();
  await database?.drop();
});

async function aProduct(stock = 5) {
  return prisma.product.create({
    data: { id: randomUUID(), name: 'kettle', price: 25_000n, stock },
  });
}

describe('order database: schema.prisma matches the migrations', () => {
  it('when every model is written and read through Prisma Client, then the columns line up', async () => {
    const product = await aProduct();
    const orderId = randomUUID();
    const completedAt = new Date('2026-03-09T15:00:00.123Z');
    await prisma.order.create({
      data: {
        id: orderId,
        userId: 'user-1',
        total: 50_000n,
        currency: 'KRW',
        items: { create: [{ productId: product.id, quantity: 2, unitPrice: 25_000n }] },
      },
    });
    await prisma.order.update({
      where: { id: orderId },
      data: { status: 'COMPLETED', completedAt, completedEventId: randomUUID() },
    });
    await prisma.payment.create({
      data: { id: randomUUID(), orderId, amount: 50_000n, method: 'BANK_TRANSFER' },
    });
    await prisma.idempotencyKey.create({
      data: { route: 'POST /orders', key: 'k-1', fingerprint: 'f'.repeat(64), response: '{}' },
    });

    expect(
      await prisma.order.findUniqueOrThrow({
        where: { id: orderId },
        include: { items: true, payment: true },
      }),
    ).toMatchObject({
      status: 'COMPLETED',
      total: 50_000n,
      completedAt,
      items: [{ productId: product.id, quantity: 2, unitPrice: 25_000n }],
      payment: { amount: 50_000n, method: 'BANK_TRANSFER', createdAt: expect.any(Date) },
    });
    expect(product).toMatchObject({ price: 25_000n, stock: 5, updatedAt: expect.any(Date) });
    expect(await prisma.idempotencyKey.findFirstOrThrow()).toMatchObject({
      replays: 0,
      response: '{}',
    });
  });

  it('when the outbox helper writes rows, then the OutboxEvent model reads them (same table as @commerce/outbox)', async () => {
    const conn = await createConnection(parseDatabaseUrl(database.url));
    const event = anEvent('OrderCompleted');
    await enqueueEvents(sqlExecutor(conn), [
      {
        topic: 'order-completed',
        key: event.userId,
        type: 'OrderCompleted',
        payload: event,
        correlationId: 'c-1',
      },
    ]);
    await conn.end();

    expect(
      await prisma.outboxEvent.findUniqueOrThrow({ where: { eventId: event.eventId } }),
    ).toMatchObject({
      topic: 'order-completed',
      messageKey: event.userId,
      publishedAt: null,
      attempts: 0,
    });
    // The whole table is checked against outboxTableSql in packages/outbox/test/table.test.ts.
  });

  it('when Prisma writes a time, then the column holds it in UTC (the ranking rebuild reads it raw)', async () => {
    const product = await aProduct();
    const orderId = randomUUID();
    await prisma.order.create({
      data: {
        id: orderId,
        userId: 'u',
        total: 1n,
        currency: 'KRW',
        status: 'COMPLETED',
        completedAt: new Date('2026-03-09T14:59:59.999Z'),
        items: { create: [{ productId: product.id, quantity: 1, unitPrice: 1n }] },
      },
    });
    const [row] = await prisma.$queryRaw<{ at: string }[]>`
      SELECT DATE_FORMAT(completed_at, '%Y-%m-%d %H:%i:%s.%f') AS at FROM orders WHERE id = ${orderId}`;
    expect(row?.at).toBe('2026-03-09 14:59:59.999000');
  });

  it('when a write would break an invariant, then the database refuses it', async () => {
    const product = await aProduct(1);
    const orderId = randomUUID();
    await prisma.order.create({
      data: {
        id: orderId,
        userId: 'u',
        total: 1n,
        currency: 'KRW',
        items: { create: [{ productId: product.id, quantity: 1, unitPrice: 1n }] },
      },
    });
    // Stock is unsigned: even an unconditional decrement cannot pass zero.
    await expect(
      prisma.product.update({ where: { id: product.id }, data: { stock: { decrement: 2 } } }),
    ).rejects.toThrow();
    // A completed order without its completion time, a second payment, an empty line.
    await expect(
      prisma.order.update({ where: { id: orderId }, data: { status: 'COMPLETED' } }),
    ).rejects.toThrow();
    await prisma.payment.create({
      data: { id: randomUUID(), orderId, amount: 1n, method: 'CARD' },
    });
    await expect(
      prisma.payment.create({ data: { id: randomUUID(), orderId, amount: 1n, method: 'CARD' } }),
    ).rejects.toThrow();
    await expect(
      prisma.orderItem.create({
        data: { orderId, productId: (await aProduct()).id, quantity: 0, unitPrice: 1n },
      }),
    ).rejects.toThrow();
    expect((await prisma.product.findUniqueOrThrow({ where: { id: product.id } })).stock).toBe(1);
  });
});
