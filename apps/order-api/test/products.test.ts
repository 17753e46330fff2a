import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Api, createApi, operatorKey } from './support/harness.ts';

let api: Api;
beforeAll(async () => {
  api = await createApi();
});
afterAll(() => api?.close());

describe('products', () => {
  it('when an operator adds a product, then it can be read back with its price and stock', async () => {
    const created = await api.app.inject({
      method: 'POST',
      url: '/products',
      headers: { 'x-api-key': operatorKey },
      payload: { name: '  Desk lamp ', price: 39_900, stock: 7 },
    });
    const read = await api.app.inject({ method: 'GET', url: `/products/${created.json().id}` });

    expect(created.statusCode).toBe(201);
    expect(read.statusCode).toBe(200);
    expect(read.json()).toEqual(created.json());
    expect(read.json()).toMatchObject({ name: 'Desk lamp', price: 39_900, stock: 7 });
  });

  it('when the operator key is missing or wrong, then 401 and nothing is written', async () => {
    const before = await api.rowCounts();
    const payload = { name: 'x', price: 1, stock: 1 };
    const missing = await api.app.inject({ method: 'POST', url: '/products', payload });
    const wrong = await api.app.inject({
      method: 'POST',
      url: '/products',
      headers: { 'x-api-key': `${operatorKey}x` },
      payload,
    });

    for (const res of [missing, wrong]) {
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe('OPERATOR_KEY_REQUIRED');
    }
    expect(await api.rowCounts()).toEqual(before);
  });

  it('when products are listed in pages, then every product appears once, in id order', async () => {
    for (let i = 0; i < 5; i++) await api.product(1, 100, `p${i}`);
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const query: string = after ? `?limit=2&after=${after}` : '?limit=2';
      const page = (await api.app.inject({ method: 'GET', url: `/products${query}` })).json();
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((p: { id: string }) => p.id));
      after = page.next;
    } while (after);

    expect(seen.length).toBe(await api.deps.prisma.product.count());
    expect(seen).toEqual([...seen].sort());
  });

  it('when a product does not exist, then 404 PRODUCT_NOT_FOUND', async () => {
    const res = await api.app.inject({ method: 'GET', url: `/products/${randomUUID()}` });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('PRODUCT_NOT_FOUND');
  });
});
