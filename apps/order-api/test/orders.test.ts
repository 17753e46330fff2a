import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Api, createApi } from './support/harness.ts';

let api: Api;
beforeAll(async () => {
  api = await createApi();
});
afterAll(() => api?.close());

describe('placing orders', () => {
  it('when a shopper orders products, then the order is PENDING with each line priced and the total summed', async () => {
    const [a, b] = [await api.product(5, 15_000), await api.product(5, 9_900)];
    const res = await api.inject({
      method: 'POST',
      url: '/orders',
      payload: {
        userId: 'user-7',
        items: [
          { productId: a.id, quantity: 2 },
          { productId: b.id, quantity: 1 },
        ],
      },
    });
    const read = await api.inject({ method: 'GET', url: `/orders/${res.json().id}` });

    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      userId: 'user-7',
      status: 'PENDING',
      total: 39_900,
      currency: 'KRW',
      completedAt: null,
      paymentId: null,
    });
    expect(read.json()).toEqual(res.json());
    expect(res.json().items).toEqual(
      expect.arrayContaining([
        { productId: a.id, quantity: 2, unitPrice: 15_000 },
        { productId: b.id, quantity: 1, unitPrice: 9_900 },
      ]),
    );
  });

  it('when an order names a product that does not exist, then 422 UNKNOWN_PRODUCT and nothing is written', async () => {
    const real = await api.product();
    const before = await api.rowCounts();
    const ghost = randomUUID();
    const res = await api.inject({
      method: 'POST',
      url: '/orders',
      payload: {
        userId: 'u',
        items: [
          { productId: real.id, quantity: 1 },
          { productId: ghost, quantity: 1 },
        ],
      },
    });

    expect(res.statusCode).toBe(422);
    expect(res.json().error).toMatchObject({
      code: 'UNKNOWN_PRODUCT',
      details: { productIds: [ghost] },
    });
    expect(await api.rowCounts()).toEqual(before);
  });

  it('when the same Idempotency-Key and body are sent twice, even at once, then one order exists and both get it', async () => {
    const product = await api.product();
    const send = (quantity: number) =>
      api.inject({
        method: 'POST',
        url: '/orders',
        headers: { 'idempotency-key': 'order-key-1' },
        payload: { userId: 'u-idem', items: [{ productId: product.id, quantity }] },
      });

    const [first, second] = await Promise.all([send(2), send(2)]);
    const third = await send(2);
    const otherBody = await send(3);

    expect([first.statusCode, second.statusCode, third.statusCode]).toEqual([201, 201, 201]);
    expect(second.json()).toEqual(first.json());
    expect(third.json()).toEqual(first.json());
    expect(
      [first, second, third].filter((r) => r.headers['idempotent-replayed'] === 'true'),
    ).toHaveLength(2);
    expect(otherBody.statusCode).toBe(422);
    expect(otherBody.json().error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await api.deps.prisma.order.count({ where: { userId: 'u-idem' } })).toBe(1);
  });

  it('when an order does not exist, then 404 ORDER_NOT_FOUND', async () => {
    const res = await api.inject({ method: 'GET', url: `/orders/${randomUUID()}` });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('ORDER_NOT_FOUND');
  });
});
