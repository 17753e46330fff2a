import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Api, createApi, operatorKey } from './support/harness.ts';

let api: Api;
let productId: string;
let orderId: string;
beforeAll(async () => {
  api = await createApi();
  productId = (await api.product(5, 1_000)).id;
  orderId = (await api.order([{ productId, quantity: 1 }])).id;
});
afterAll(() => api?.close());

type Case = [
  string,
  () => {
    method: 'GET' | 'POST';
    url: string;
    payload?: unknown;
    headers?: Record<string, string>;
  },
  number,
];
const operator = { 'x-api-key': operatorKey };
const get = (url: string) => ({ method: 'GET' as const, url });
const post = (url: string, payload?: unknown, headers?: Record<string, string>) => ({
  method: 'POST' as const,
  url,
  ...(payload === undefined ? {} : { payload }),
  ...(headers ? { headers } : {}),
});
// Each request is built when its case runs: the ids come from beforeAll.
const cases: Case[] = [
  ['POST /products without a name', () => post('/products', { price: 1, stock: 1 }, operator), 400],
  [
    'POST /products with a negative price',
    () => post('/products', { name: 'a', price: -1, stock: 1 }, operator),
    400,
  ],
  [
    'POST /products with fractional stock',
    () => post('/products', { name: 'a', price: 1, stock: 1.5 }, operator),
    400,
  ],
  [
    'POST /products with stock beyond an Avro int',
    () => post('/products', { name: 'a', price: 1, stock: 2 ** 31 }, operator),
    400,
  ],
  [
    'POST /products with an unknown field',
    () => post('/products', { name: 'a', price: 1, stock: 1, id: 'mine' }, operator),
    400,
  ],
  [
    'POST /products with a body that is not JSON',
    () => post('/products', '{"name":', { ...operator, 'content-type': 'application/json' }),
    400,
  ],
  ['GET /products with limit=0', () => get('/products?limit=0'), 400],
  ['GET /products with a malformed cursor', () => get('/products?after=zzz'), 400],
  ['GET /products/{id} with a malformed id', () => get('/products/not-a-uuid'), 400],
  ['GET /products/rankings with days=2', () => get('/products/rankings?days=2'), 400],
  ['GET /products/rankings with limit=0', () => get('/products/rankings?limit=0'), 400],
  ['GET /products/rankings with a huge limit', () => get('/products/rankings?limit=100000'), 400],
  [
    'GET /products/rankings with an unknown parameter',
    () => get('/products/rankings?days=1&from=2020-01-01'),
    400,
  ],
  ['POST /orders without items', () => post('/orders', { userId: 'user-1', items: [] }), 400],
  [
    'POST /orders with quantity 0',
    () => post('/orders', { userId: 'user-1', items: [{ productId, quantity: 0 }] }),
    400,
  ],
  [
    'POST /orders with the same product twice',
    () =>
      post('/orders', {
        userId: 'user-1',
        items: [
          { productId, quantity: 1 },
          { productId, quantity: 1 },
        ],
      }),
    422,
  ],
  [
    'POST /orders naming another user',
    () => post('/orders', { userId: 'someone-else', items: [{ productId, quantity: 1 }] }),
    403,
  ],
  [
    'POST /orders with a malformed product id',
    () => post('/orders', { userId: 'user-1', items: [{ productId: 'p-1', quantity: 1 }] }),
    400,
  ],
  [
    'POST /orders with an unknown product',
    () => post('/orders', { userId: 'user-1', items: [{ productId: randomUUID(), quantity: 1 }] }),
    422,
  ],
  [
    'POST /orders with an empty Idempotency-Key',
    () =>
      post(
        '/orders',
        { userId: 'user-1', items: [{ productId, quantity: 1 }] },
        { 'idempotency-key': '' },
      ),
    400,
  ],
  ['GET /orders/{id} with a malformed id', () => get('/orders/123'), 400],
  [
    'POST /orders/{id}/pay with a malformed id',
    () => post('/orders/123/pay', { amount: 1_000, method: 'CARD' }),
    400,
  ],
  [
    'POST /orders/{id}/pay with an unknown method',
    () => post(`/orders/${orderId}/pay`, { amount: 1_000, method: 'CASH' }),
    400,
  ],
  [
    'POST /orders/{id}/pay with a string amount',
    () => post(`/orders/${orderId}/pay`, { amount: '1000', method: 'CARD' }),
    400,
  ],
  [
    'POST /orders/{id}/pay with a wrong amount',
    () => post(`/orders/${orderId}/pay`, { amount: 999, method: 'CARD' }),
    422,
  ],
  [
    'POST /orders/{id}/pay for an unknown order',
    () => post(`/orders/${randomUUID()}/pay`, { amount: 1_000, method: 'CARD' }),
    404,
  ],
  ['POST /orders/{id}/pay without a body', () => post(`/orders/${orderId}/pay`, undefined), 400],
];

describe('bad input on every endpoint', () => {
  it.each(cases)('when %s, then a structured 4xx and no write', async (_name, request, status) => {
    const before = await api.rowCounts();

    const res = await api.inject(request(), 'user-1');

    expect(res.statusCode).toBe(status);
    expect(res.json()).toEqual({
      error: {
        code: expect.stringMatching(/^[A-Z_]+$/),
        message: expect.any(String),
        ...(res.json().error.details ? { details: expect.anything() } : {}),
      },
      requestId: expect.any(String),
    });
    expect(await api.rowCounts()).toEqual(before);
    expect(
      (await api.deps.prisma.product.findUniqueOrThrow({ where: { id: productId } })).stock,
    ).toBe(5);
  });
});
