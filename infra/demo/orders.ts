// Orders and payments by several shoppers, then the live ranking, compared with what the
// order database holds for the same orders.
import type { CheckFn } from './checks.ts';
import { bearer, get, inBatches, operator, post, runId, waitFor } from './http.ts';
import { step } from './progress.ts';

export const buyers = Array.from({ length: 10 }, (_, i) => `${runId}-buyer${i}`);
const PRODUCTS = [
  { name: 'kettle', price: 39_900 },
  { name: 'lamp', price: 12_500 },
  { name: 'mug', price: 4_900 },
];

export interface Sales {
  orderIds: string[];
  /** Paid units and revenue of each of this run's products, by product id. */
  paid: Map<string, { units: number; revenue: number }>;
}

export async function ordersAndRanking(
  tokens: Map<string, string>,
  check: CheckFn,
): Promise<Sales> {
  const as = (user: string) => bearer(tokens.get(user));
  const products = await Promise.all(
    PRODUCTS.map(
      async (p) =>
        (
          await post(
            '/products',
            { name: `Demo ${p.name} ${runId}`, price: p.price, stock: 100 },
            operator,
          )
        ).body,
    ),
  );
  // Each buyer takes 1–3 of each of the first i % 3 + 1 products: a ranking with a clear order.
  const orders = await inBatches(buyers, 10, async (buyer) => {
    const index = buyers.indexOf(buyer);
    const items = products
      .slice(0, (index % 3) + 1)
      .map((p, j) => ({ productId: p.id, quantity: 1 + ((index + j) % 3) }));
    return { buyer, order: (await post('/orders', { items }, as(buyer))).body };
  });
  const stolen = await post(
    `/orders/${orders[0]?.order.id}/pay`,
    { amount: orders[0]?.order.total, method: 'CARD' },
    as(buyers[1] as string),
  );
  check(
    "nobody pays another shopper's order",
    stolen.status === 404,
    `${stolen.status} ${stolen.body.error?.code}`,
  );
  const payments = await inBatches(orders, 10, async ({ buyer, order }) =>
    post(`/orders/${order.id}/pay`, { amount: order.total, method: 'CARD' }, as(buyer)),
  );
  step(
    `2. Orders: ${orders.length} orders by ${buyers.length} shoppers, paid: ${payments.filter((p) => p.status === 200).length}`,
  );

  // What the order database says was paid (order-api's own records of these orders).
  const stored = await inBatches(
    orders,
    10,
    async ({ buyer, order }) => (await get(`/orders/${order.id}`, as(buyer))).body,
  );
  const paid = new Map<string, { units: number; revenue: number }>();
  for (const order of stored.filter((o) => o.status === 'COMPLETED'))
    for (const item of order.items) {
      const total = paid.get(item.productId) ?? { units: 0, revenue: 0 };
      paid.set(item.productId, {
        units: total.units + item.quantity,
        revenue: total.revenue + item.quantity * item.unitPrice,
      });
    }
  const ranked = await waitFor(
    'the payments in the ranking',
    async () => {
      const { body } = await get('/products/rankings?days=1&limit=100');
      const ours = body.items.filter((i: { productId: string }) => paid.has(i.productId));
      return ours.length === paid.size &&
        ours.every(
          (i: { productId: string; quantity: number }) =>
            paid.get(i.productId)?.units === i.quantity,
        )
        ? ours
        : undefined;
    },
    90_000,
  ).catch(() => undefined);
  for (const item of ranked ?? [])
    console.log(`   today's ranking #${item.rank}: ${item.name}, ${item.quantity} units`);
  check(
    'ranking equals the order database',
    ranked !== undefined,
    ranked ? `${ranked.length} products, units as paid` : 'ranking differs from the paid orders',
  );
  return { orderIds: orders.map((o) => o.order.id), paid };
}
