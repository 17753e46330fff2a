import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Api, createApi } from './support/harness.ts';

let api: Api;
beforeAll(async () => {
  api = await createApi();
});
afterAll(() => api?.close());

const outboxOf = async (orderId: string) =>
  (await api.deps.prisma.outboxEvent.findMany({ orderBy: { id: 'asc' } }))
    .map((row) => ({ ...row, payload: JSON.parse(row.payload) }))
    .filter((row) => row.payload.orderId === orderId);

describe('paying an order', () => {
  it('when a PENDING order is paid, then order, payment, stock and the three kinds of events change together', async () => {
    const [a, b] = [await api.product(5, 15_000), await api.product(2, 9_900)];
    const order = await api.order(
      [
        { productId: a.id, quantity: 2 },
        { productId: b.id, quantity: 1 },
      ],
      'buyer-1',
    );

    const res = await api.pay(order.id, 39_900, { 'x-request-id': 'req-pay-1' });

    expect(res.statusCode).toBe(200);
    const { paymentId, status, completedAt } = res.json();
    expect(status).toBe('COMPLETED');
    const stored = await api.inject({ method: 'GET', url: `/orders/${order.id}` });
    expect(stored.json()).toMatchObject({ status: 'COMPLETED', paymentId, completedAt });
    expect(
      await api.deps.prisma.payment.findUniqueOrThrow({ where: { orderId: order.id } }),
    ).toMatchObject({
      id: paymentId,
      amount: 39_900n,
      method: 'CARD',
    });
    const stocks = await api.deps.prisma.product.findMany({ where: { id: { in: [a.id, b.id] } } });
    expect(Object.fromEntries(stocks.map((p) => [p.id, p.stock]))).toEqual({
      [a.id]: 3,
      [b.id]: 1,
    });

    const prefix = api.config.KAFKA_NAME_PREFIX;
    const events = await outboxOf(order.id);
    expect(events.map((e) => [e.eventType, e.topic, e.messageKey, e.correlationId])).toEqual([
      ['OrderCompleted', `${prefix}order-completed`, 'buyer-1', 'req-pay-1'],
      ['PaymentCompleted', `${prefix}external-events`, order.id, 'req-pay-1'],
      ...[a.id, b.id]
        .sort()
        .map((id) => ['ProductStockChanged', `${prefix}product-events`, id, 'req-pay-1']),
    ]);
    const completed = events[0]?.payload;
    expect(completed).toMatchObject({
      orderId: order.id,
      userId: 'buyer-1',
      totalAmount: 39_900,
      currency: 'KRW',
      paymentId,
      completedAt: Date.parse(completedAt),
    });
    expect(completed.items).toEqual(
      expect.arrayContaining([
        { productId: a.id, quantity: 2, unitPrice: 15_000 },
        { productId: b.id, quantity: 1, unitPrice: 9_900 },
      ]),
    );
    expect(events.find((e) => e.messageKey === a.id)?.payload).toMatchObject({
      previousStock: 5,
      currentStock: 3,
      reason: 'ORDER_PAID',
    });
    expect(
      (await api.deps.prisma.order.findUniqueOrThrow({ where: { id: order.id } })).completedEventId,
    ).toBe(completed.eventId);
  });

  it('when an order is paid twice, then the second is 409 ORDER_ALREADY_PAID and changes nothing', async () => {
    const product = await api.product(5, 1_000);
    const order = await api.order([{ productId: product.id, quantity: 1 }]);
    expect((await api.pay(order.id, 1_000)).statusCode).toBe(200);
    const before = await api.rowCounts();

    const again = await api.pay(order.id, 1_000);

    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('ORDER_ALREADY_PAID');
    expect(await api.rowCounts()).toEqual(before);
  });

  it('when the amount is not the order total, then 422 AMOUNT_MISMATCH and the order stays PENDING', async () => {
    const product = await api.product(5, 1_000);
    const order = await api.order([{ productId: product.id, quantity: 2 }]);
    const before = await api.rowCounts();

    const res = await api.pay(order.id, 1_999);

    expect(res.statusCode).toBe(422);
    expect(res.json().error).toMatchObject({
      code: 'AMOUNT_MISMATCH',
      details: { expected: 2_000, received: 1_999 },
    });
    expect(await api.rowCounts()).toEqual(before);
    expect(
      (await api.deps.prisma.product.findUniqueOrThrow({ where: { id: product.id } })).stock,
    ).toBe(5);
  });

  it('when one line of the order is short of stock, then 409 OUT_OF_STOCK and no product loses a unit', async () => {
    // The first product (in lock order) has plenty: its decrement must be rolled back.
    const [first, second] = [await api.product(10, 100), await api.product(1, 100)].sort((x, y) =>
      x.id < y.id ? -1 : 1,
    ) as [{ id: string }, { id: string }];
    await api.deps.prisma.product.update({ where: { id: first.id }, data: { stock: 10 } });
    await api.deps.prisma.product.update({ where: { id: second.id }, data: { stock: 1 } });
    const order = await api.order([
      { productId: first.id, quantity: 3 },
      { productId: second.id, quantity: 2 },
    ]);
    const before = await api.rowCounts();

    const res = await api.pay(order.id, 500);

    expect(res.statusCode).toBe(409);
    expect(res.json().error).toMatchObject({
      code: 'OUT_OF_STOCK',
      details: { productId: second.id },
    });
    expect(await api.rowCounts()).toEqual(before);
    const stocks = await api.deps.prisma.product.findMany({
      where: { id: { in: [first.id, second.id] } },
    });
    expect(Object.fromEntries(stocks.map((p) => [p.id, p.stock]))).toEqual({
      [first.id]: 10,
      [second.id]: 1,
    });
    expect((await api.inject({ method: 'GET', url: `/orders/${order.id}` })).json().status).toBe(
      'PENDING',
    );
  });

  it('when the order does not exist, then 404 ORDER_NOT_FOUND', async () => {
    const res = await api.pay(randomUUID(), 100);
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('ORDER_NOT_FOUND');
  });

  it('when a payment is retried with its Idempotency-Key, then the first answer is replayed and nothing happens twice', async () => {
    const product = await api.product(5, 700);
    const order = await api.order([{ productId: product.id, quantity: 1 }]);
    const key = { 'idempotency-key': `pay-${order.id}` };

    const [first, second] = await Promise.all([
      api.pay(order.id, 700, key),
      api.pay(order.id, 700, key),
    ]);
    const later = await api.pay(order.id, 700, key);
    const otherAmount = await api.pay(order.id, 701, key);

    expect([first.statusCode, second.statusCode, later.statusCode]).toEqual([200, 200, 200]);
    expect(second.json()).toEqual(first.json());
    expect(later.json()).toEqual(first.json());
    expect(later.headers['idempotent-replayed']).toBe('true');
    expect(otherAmount.statusCode).toBe(422);
    expect(otherAmount.json().error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await api.deps.prisma.payment.count({ where: { orderId: order.id } })).toBe(1);
    expect(
      (await api.deps.prisma.product.findUniqueOrThrow({ where: { id: product.id } })).stock,
    ).toBe(4);
    expect(await outboxOf(order.id)).toHaveLength(3);
  });

  it('when a key was used to pay one order, then using it for another order is 422 and pays nothing', async () => {
    const product = await api.product(5, 300);
    const [one, two] = [
      await api.order([{ productId: product.id, quantity: 1 }]),
      await api.order([{ productId: product.id, quantity: 1 }]),
    ];
    const key = { 'idempotency-key': `shared-${one.id}` };
    expect((await api.pay(one.id, 300, key)).statusCode).toBe(200);

    const res = await api.pay(two.id, 300, key);

    expect(res.statusCode).toBe(422);
    expect(res.json().error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect((await api.inject({ method: 'GET', url: `/orders/${two.id}` })).json().status).toBe(
      'PENDING',
    );
  });
});
