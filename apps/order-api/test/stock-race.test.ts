import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Api, createApi } from './support/harness.ts';

let api: Api;
beforeAll(async () => {
  api = await createApi({ env: { DATABASE_POOL_SIZE: '8' } });
});
afterAll(() => api?.close());

describe('many payments for one low-stock product', () => {
  it('when 40 orders of 1–2 units race for 15 units, then stock never goes below zero and completed orders account for every unit sold', async () => {
    const stock = 15;
    const product = await api.product(stock, 1_000);
    const orders = [];
    for (let i = 0; i < 40; i++) {
      orders.push(
        await api.order([{ productId: product.id, quantity: (i % 2) + 1 }], `racer-${i}`),
      );
    }

    const results = await Promise.all(orders.map((order) => api.pay(order.id, order.total)));

    const statuses = results.map((r) => r.statusCode);
    expect(statuses.every((s) => s === 200 || s === 409)).toBe(true);
    for (const r of results.filter((r) => r.statusCode === 409))
      expect(r.json().error.code).toBe('OUT_OF_STOCK');
    const left = (await api.deps.prisma.product.findUniqueOrThrow({ where: { id: product.id } }))
      .stock;
    const completed = await api.deps.prisma.order.findMany({
      where: { status: 'COMPLETED', items: { some: { productId: product.id } } },
      include: { items: true },
    });
    const sold = completed.flatMap((o) => o.items).reduce((sum, item) => sum + item.quantity, 0);
    const stockEvents = await api.deps.prisma.outboxEvent.count({
      where: { eventType: 'ProductStockChanged', messageKey: product.id },
    });

    expect(left).toBeGreaterThanOrEqual(0);
    expect(sold).toBe(stock - left);
    // 15 units, orders of 1 or 2: the rush only stops when fewer than 2 units are left.
    expect(left).toBeLessThanOrEqual(1);
    expect(statuses.filter((s) => s === 200)).toHaveLength(completed.length);
    expect(await api.deps.prisma.payment.count()).toBe(completed.length);
    expect(stockEvents).toBe(completed.length);
  });
});
