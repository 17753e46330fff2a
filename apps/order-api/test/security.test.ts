import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { forgedTokens, probeEveryRoute } from '@commerce/service/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Api, bearer, createApi, idp, isolatedEnv, operatorKey } from './support/harness.ts';

// Who may do what on order-api: tokens, other users' orders, budgets, headers, start-up.
let api: Api;
beforeAll(async () => {
  api = await createApi();
});
afterAll(() => api?.close());

describe('shopper identity', () => {
  it('when the token is missing or forged (expired, wrong issuer, none, HS256 with the public key), then placing or paying is 401 and nothing is written', async () => {
    const product = await api.product(5, 1_000);
    const order = await api.order([{ productId: product.id, quantity: 1 }], 'ann');
    const before = await api.rowCounts();
    const forged = Object.values(await forgedTokens(idp, 'ann'));
    for (const authorization of [undefined, ...forged.map((t) => `Bearer ${t}`)]) {
      const headers = authorization ? { authorization } : {};
      const place = await api.app.inject({
        method: 'POST',
        url: '/orders',
        headers,
        payload: { items: [{ productId: product.id, quantity: 1 }] },
      });
      const pay = await api.app.inject({
        method: 'POST',
        url: `/orders/${order.id}/pay`,
        headers,
        payload: { amount: 1_000, method: 'CARD' },
      });
      expect([place.statusCode, pay.statusCode]).toEqual([401, 401]);
      expect(pay.json().error.code).toMatch(/^TOKEN_(REQUIRED|INVALID)$/);
    }
    expect(await api.rowCounts()).toEqual(before);
  });

  it("when a shopper pays or reads another user's order, then 404 and the order stays unpaid; the owner can pay it", async () => {
    const product = await api.product(5, 2_000);
    const order = await api.order([{ productId: product.id, quantity: 1 }], 'owner');
    const before = await api.rowCounts();
    const intruder = await bearer('intruder');
    const pay = (headers: Record<string, string>) =>
      api.app.inject({
        method: 'POST',
        url: `/orders/${order.id}/pay`,
        headers,
        payload: { amount: 2_000, method: 'CARD' },
      });
    const stolen = await pay(intruder);
    const read = await api.app.inject({
      method: 'GET',
      url: `/orders/${order.id}`,
      headers: intruder,
    });
    expect([stolen.statusCode, read.statusCode]).toEqual([404, 404]);
    expect(stolen.json().error.code).toBe('ORDER_NOT_FOUND');
    expect(await api.rowCounts()).toEqual(before);
    expect((await pay(await bearer('owner'))).statusCode).toBe(200);
  });

  it('when the body names another user, then 403 FORBIDDEN_USER and no order', async () => {
    const product = await api.product();
    const before = await api.rowCounts();
    const res = await api.app.inject({
      method: 'POST',
      url: '/orders',
      headers: await bearer('ann'),
      payload: { userId: 'bob', items: [{ productId: product.id, quantity: 1 }] },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('FORBIDDEN_USER');
    expect(await api.rowCounts()).toEqual(before);
  });
});

describe('budgets', () => {
  it('when a shopper goes over the per-user rate, then 429 with Retry-After; others are served', async () => {
    const limited = await createApi({
      env: { RATE_LIMIT_PER_USER: '2', RATE_LIMIT_WINDOW_MS: '10000' },
    });
    try {
      const product = await limited.product(10, 100);
      const answers = [];
      for (let i = 0; i < 4; i++) {
        answers.push(
          await limited.app.inject({
            method: 'POST',
            url: '/orders',
            headers: await bearer('busy'),
            payload: { items: [{ productId: product.id, quantity: 1 }] },
          }),
        );
      }
      expect(answers.map((a) => a.statusCode)).toEqual([201, 201, 429, 429]);
      expect(Number(answers[3]?.headers['retry-after'])).toBeGreaterThan(0);
      expect(answers[3]?.json().error.code).toBe('RATE_LIMITED');
      expect(await limited.deps.prisma.order.count({ where: { userId: 'busy' } })).toBe(2);
      expect((await limited.order([{ productId: product.id, quantity: 1 }], 'calm')).id).toEqual(
        expect.any(String),
      );
    } finally {
      await limited.close();
    }
  });
});

describe('headers and start-up', () => {
  it('when any route gets huge or malformed headers, with or without credentials, then it answers 4xx or ignores them, never 5xx', async () => {
    const product = await api.product();
    const order = await api.order([{ productId: product.id, quantity: 1 }], 'hdr');
    const params = { productId: product.id, orderId: order.id };
    expect(await probeEveryRoute(api.app, { params })).toEqual([]);
    const base = { ...(await bearer('hdr')), 'x-api-key': operatorKey };
    expect(await probeEveryRoute(api.app, { base, params })).toEqual([]);
  });

  it('when production starts with the default operator key, then the process refuses with a message naming the fix', async () => {
    const env = {
      ...process.env,
      ...isolatedEnv('mysql://u:p@127.0.0.1:3306/never_used'),
      NODE_ENV: 'production',
      OPERATOR_API_KEY: 'local-operator-key-change-me',
    };
    const main = join(import.meta.dirname, '..', 'src', 'main.ts');
    const run = promisify(execFile)(process.execPath, ['--conditions=@commerce/source', main], {
      env,
      timeout: 20_000,
    });
    await expect(run).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining(
        'OPERATOR_API_KEY: refusing to start in production with a published default key',
      ),
    });
  });
});

it('serves nothing of a stranger: an unknown order id is 404 for everyone', async () => {
  const res = await api.app.inject({
    method: 'GET',
    url: `/orders/${randomUUID()}`,
    headers: await bearer('anyone'),
  });
  expect(res.statusCode).toBe(404);
});
