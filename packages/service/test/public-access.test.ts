import { stackAddresses, uniqueName } from '@commerce/testing';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { loadConfig } from '../src/config.ts';
import { createHttpShell } from '../src/http/app.ts';
import { installPublicAccess } from '../src/security/access.ts';
import { forbidOtherUserInBody, shopperOf } from '../src/security/guards.ts';
import { publicApiEnv, shopperKeySource } from '../src/security/settings.ts';
import { testShopperTokens } from '../src/testing/index.ts';

// The guards and limits on a real Redis (the counters replicas share), in-process.
const redis = new Redis(stackAddresses().redisUrl);
const idp = testShopperTokens();
afterAll(() => redis.quit());

async function build(env: Record<string, string> = {}) {
  const config = loadConfig(z.object(publicApiEnv).superRefine(shopperKeySource), {
    ...idp.env,
    RATE_LIMIT_NAMESPACE: uniqueName('rl'),
    ...env,
  });
  const app = await createHttpShell({ service: 'access-test', logger: pino({ level: 'silent' }) });
  const access = await installPublicAccess(app, { service: 'access-test', config, redis });
  const written: string[] = [];
  app.post(
    '/things',
    {
      onRequest: access.shopper,
      preValidation: forbidOtherUserInBody,
      schema: { body: z.strictObject({ name: z.string(), userId: z.string().optional() }) },
    },
    async (request, reply) => {
      written.push(`${shopperOf(request).userId}:${request.body.name}`);
      return reply.status(202).send({ ok: true });
    },
  );
  app.get(
    '/users/:userId/things',
    { onRequest: access.shopperSelf, schema: { params: z.object({ userId: z.string().max(10) }) } },
    async (request) => ({ userId: shopperOf(request).userId }),
  );
  app.get('/open', { onRequest: access.anyone }, async () => ({ ok: true }));
  return { app, written };
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** POST /things as `userId`, with a fresh valid token. */
const postAs = async (app: Awaited<ReturnType<typeof build>>['app'], userId: string) =>
  app.inject({
    method: 'POST',
    url: '/things',
    headers: bearer(await idp.mint(userId)),
    payload: { name: userId },
  });

describe('shopper routes', () => {
  it('when the token is missing or does not verify, then 401 with a Bearer challenge before validation, and nothing written', async () => {
    const { app, written } = await build();
    const cases = [
      [{}, 'TOKEN_REQUIRED'],
      [{ authorization: 'Basic YWxpY2U6cHc=' }, 'TOKEN_REQUIRED'],
      [bearer('not.a.token'), 'TOKEN_INVALID'],
      [bearer(await idp.mint('alice', { expiresInSeconds: -3_600 })), 'TOKEN_INVALID'],
      [bearer(await idp.mint('alice', { issuer: 'https://evil.example' })), 'TOKEN_INVALID'],
    ] as const;
    for (const [headers, code] of cases) {
      const res = await app.inject({
        method: 'POST',
        url: '/things',
        headers,
        payload: { bad: 1 },
      });
      expect(res.statusCode).toBe(401);
      expect(res.headers['www-authenticate']).toMatch(/^Bearer realm="commerce"/);
      expect(res.json()).toMatchObject({ error: { code }, requestId: expect.any(String) });
    }
    expect(written).toEqual([]);
  });

  it("when the identity provider's keys cannot be fetched, then 503 DEPENDENCY_UNAVAILABLE with Retry-After, no challenge, nothing written", async () => {
    const { app, written } = await build({
      JWT_PUBLIC_KEY: '',
      JWT_JWKS_URL: 'http://127.0.0.1:1/.well-known/jwks.json',
    });
    const res = await postAs(app, 'alice');
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('1');
    expect(res.headers['www-authenticate']).toBeUndefined();
    expect(res.json()).toMatchObject({ error: { code: 'DEPENDENCY_UNAVAILABLE' } });
    expect(written).toEqual([]);
  });

  it('when the body or the path names another user, then 403 FORBIDDEN_USER and nothing written; their own id or "me" passes', async () => {
    const { app, written } = await build();
    const headers = bearer(await idp.mint('alice'));
    const other = await app.inject({
      method: 'POST',
      url: '/things',
      headers,
      payload: { name: 'x', userId: 'mallory' },
    });
    const otherPath = await app.inject({ method: 'GET', url: '/users/mallory/things', headers });
    expect([other.statusCode, otherPath.statusCode]).toEqual([403, 403]);
    expect(other.json().error.code).toBe('FORBIDDEN_USER');
    expect(written).toEqual([]);

    const own = await app.inject({
      method: 'POST',
      url: '/things',
      headers,
      payload: { name: 'x', userId: 'alice' },
    });
    expect(own.statusCode).toBe(202);
    expect(written).toEqual(['alice:x']);
    for (const url of ['/users/me/things', '/users/alice/things']) {
      expect((await app.inject({ method: 'GET', url, headers })).json()).toEqual({
        userId: 'alice',
      });
    }
  });
});

describe('rate limits', () => {
  it('when a user goes over their budget, then 429 RATE_LIMITED with Retry-After, and other users are not affected', async () => {
    const { app, written } = await build({
      RATE_LIMIT_PER_USER: '3',
      RATE_LIMIT_WINDOW_MS: '5000',
    });
    const greedy = bearer(await idp.mint('greedy'));
    const statuses = [];
    for (let i = 0; i < 5; i++) {
      const res = await app.inject({
        method: 'POST',
        url: '/things',
        headers: greedy,
        payload: { name: `n${i}` },
      });
      statuses.push(res.statusCode);
      if (res.statusCode === 429) {
        expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
        expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(5);
        expect(res.json().error.code).toBe('RATE_LIMITED');
      }
    }
    expect(statuses).toEqual([202, 202, 202, 429, 429]);
    const polite = await postAs(app, 'polite');
    expect(polite.statusCode).toBe(202);
    expect(written).toHaveLength(4);
  });

  it('when one address goes over its budget, then 429 even without a token; two app instances share the count', async () => {
    const namespace = uniqueName('rl');
    const env = {
      RATE_LIMIT_PER_ADDRESS: '4',
      RATE_LIMIT_WINDOW_MS: '5000',
      RATE_LIMIT_NAMESPACE: namespace,
    };
    const [a, b] = [await build(env), await build(env)];
    const statuses = [];
    for (const { app } of [a, b, a, b, a, b]) {
      statuses.push((await app.inject({ method: 'GET', url: '/open' })).statusCode);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
    const anonymous = await a.app.inject({ method: 'POST', url: '/things', payload: {} });
    expect(anonymous.statusCode).toBe(429);
    expect(anonymous.headers['retry-after']).toBeDefined();
  });
});
