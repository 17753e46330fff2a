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
const cases: Case[] = [
  [
    'POST /products without a name',
    () => ({
      method: 'POST',
      url: '/products',
      headers: operator,
      payload: { price: 1, stock: 1 },
    }),
    400,
  ],
  [
    'POST /products with a negative price',
    () => ({
      method: 'POST',
      url: '/products',
      headers: operator,
      payload: { name: 'a', price: -1, stock: 1 },
    }),
    400,
  ],
  [
    'POST /products with fractional stock',
    () => ({
      method: 'POST',
      url: '/products',
      headers: operator,
      payload: { name: 'a', price: 1, stock: 1.5 },
    }),
    400,
  ],
  [
    'POST /products with stock beyond an Avro int',
    () => ({
      method: 'POST',
      url: '/products',
      headers: operator,
      payload: { name: 'a', price: 1, stock: 2 ** 31 },
    }),
    400,
  ],
  [
    'POST /products with an unknown field',
    () => ({
      method: 'POST',
      url: '/products',
      headers: operator,
      payload: { name: 'a', price: 1, stock: 1, id: 'mine' },
    }),
    400,
  ],
  [
    'POST /products with a body that is not JSON',
    () => ({
      method: 'POST',
      url: '/products',
      headers: { ...operator, 'content-type': 'application/json' },
      payload: '{"name":',
    }),
    400,
  ],
  ['GET /products with limit=0', () => ({ method: 'GET', url: '/products?limit=0' }), 400],
  [
    'GET /products with a malformed cursor',
    () => ({ method: 'GET', url: '/products?after=zzz' }),
    400,
  ],
  [
    'GET /products/{id} with a malformed id',
    () => ({ method: 'GET', url: '/products/not-a-uuid' }),
    400,
  ],
  [
    'GET /products/rankings with days=2',
    () => ({ method: 'GET', url: '/products/rankings?days=2' }),
    400,
  ],
  [
    'GET /products/rankings with limit=0',
    () => ({ method: 'GET', url: '/products/rankings?limit=0' }),
    400,
  ],
  [
    'GET /products/rankings with a huge limit',
    () => ({ method: 'GET', url: '/products/rankings?limit=100000' }),
    400,
  ],
  [
    'GET /products/rankings with an unknown parameter',
    () => ({ method: 'GET', url: '/products/rankings?days=1&from=2020-01-01' }),
    400,
  ],
  [
    'POST /orders without items',
    () => ({ method: 'POST', url: '/orders', payload: { userId: 'u', items: [] } }),
    400,
  ],
  [
    'POST /orders with quantity 0',
    () => ({
      method: 'POST',
      url: '/orders',
      payload: { userId: 'u', items: [{ productId, quantity: 0 }] },
    }),
    400,
  ],
  [
    'POST /orders with the same product twice',
    () => ({
      method: 'POST',
      url: '/orders',
      payload: {
        userId: 'u',
        items: [
          { productId, quantity: 1 },
          { productId, quantity: 1 },
        ],
      },
    }),
    400,
  ],
  [
    'POST /orders with a blank user',
    () => ({
      method: 'POST',
      url: '/orders',
      payload: { userId: '  ', items: [{ productId, quantity: 1 }] },
    }),
    400,
  ],
  [
    'POST /orders with a malformed product id',
    () => ({
      method: 'POST',
      url: '/orders',
      payload: { userId: 'u', items: [{ productId: 'p-1', quantity: 1 }] },
    }),
    400,
  ],
  [
    'POST /orders with an unknown product',
    () => ({
      method: 'POST',
      url: '/orders',
      payload: { userId: 'u', items: [{ productId: randomUUID(), quantity: 1 }] },
    }),
    422,
  ],
  [
    'POST /orders with an empty Idempotency-Key',
    () => ({
      method: 'POST',
      url: '/orders',
      headers: { 'idempotency-key': '' },
      payload: { userId: 'u', items: [{ productId, quantity: 1 }] },
    }),
    400,
  ],
  ['GET /orders/{id} with a malformed id', () => ({ method: 'GET', url: '/orders/123' }), 400],
  [
    'POST /orders/{id}/pay with a malformed id',
    () => ({ method: 'POST', url: '/orders/123/pay', payload: { amount: 1_000, method: 'CARD' } }),
    400,
  ],
  [
    'POST /orders/{id}/pay with an unknown method',
    () => ({
      method: 'POST',
      url: `/orders/${orderId}/pay`,
      payload: { amount: 1_000, method: 'CASH' },
    }),
    400,
  ],
  [
    'POST /orders/{id}/pay with a string amount',
    () => ({
      method: 'POST',
      url: `/orders/${orderId}/pay`,
      payload: { amount: '1000', method: 'CARD' },
    }),
    400,
  ],
  [
    'POST /orders/{id}/pay with a wrong amount',
    () => ({
      method: 'POST',
      url: `/orders/${orderId}/pay`,
      payload: { amount: 999, method: 'CARD' },
    }),
    422,
  ],
  [
    'POST /orders/{id}/pay for an unknown order',
    () => ({
      method: 'POST',
      url: `/orders/${randomUUID()}/pay`,
      payload: { amount: 1_000, method: 'CARD' },
    }),
    404,
  ],
  [
    'POST /orders/{id}/pay without a body',
    () => ({ method: 'POST', url: `/orders/${orderId}/pay` }),
    400,
  ],
];

describe('bad input on every endpoint', () => {
  it.each(cases)('when %s, then a structured 4xx and no write', async (_name, request, status) => {
    const before = await api.rowCounts();

    const res = await api.app.inject(request() as never);

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
