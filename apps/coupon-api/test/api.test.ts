import { uniqueName } from '@commerce/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admissionKeys } from '../src/data-access/admission-keys.ts';
import type { Deps } from '../src/deps.ts';
import { operatorKey as apiKey, type CouponApiUnderTest, startCouponApi } from './support/api.ts';

// The API in-process against the real stack. Nothing consumes what it publishes here:
// these tests are about what the API accepts, refuses and stores.
let api: CouponApiUnderTest;
let deps: Deps;
let app: CouponApiUnderTest['app'];

beforeAll(async () => {
  api = await startCouponApi();
  ({ deps, app } = api);
});

afterAll(() => api.close());

const coupon = (offsets = { from: -60_000, until: 3_600_000 }, totalQuantity = 5) =>
  api.createCoupon(totalQuantity, offsets);

const bearer = (userId: string) => api.bearer(userId);
/** POST /coupons/issue as `userId` (the token's user); the body is sent as given. */
const issueAs = async (userId: string, payload: unknown, headers: Record<string, string> = {}) =>
  app.inject({
    method: 'POST',
    url: '/coupons/issue',
    payload: payload as object,
    headers: { ...(await bearer(userId)), ...headers },
  });
const issue = (userId: string, couponId: string, headers: Record<string, string> = {}) =>
  issueAs(userId, { couponId }, headers);
const rowCount = () => deps.prisma.couponRequest.count();

describe('POST /coupons/issue', () => {
  it('when the request is valid, then 202 with a request id, and the request is logged PENDING with its event in the outbox', async () => {
    const couponId = await coupon();
    const res = await issue('alice', couponId);

    expect(res.statusCode).toBe(202);
    const { requestId, sequence } = res.json();
    expect(sequence).toBe(1);
    expect(await deps.prisma.couponRequest.findUnique({ where: { requestId } })).toMatchObject({
      status: 'PENDING',
      userId: 'alice',
    });
    const outbox = await deps.prisma.outboxEvent.findMany({
      where: { messageKey: 'alice', topic: 'coupon-requests' },
    });
    expect(outbox.map((o) => JSON.parse(o.payload).requestId)).toContain(requestId);
    const status = await app.inject({
      method: 'GET',
      url: `/coupons/requests/${requestId}`,
      headers: await bearer('alice'),
    });
    expect(status.json()).toMatchObject({
      requestId,
      status: 'PENDING',
      reason: null,
      userCouponId: null,
    });
  });

  it.each([
    ['a missing field', {}],
    ['a wrong type', { couponId: 42 }],
    ['a huge string', { couponId: 'b'.repeat(10_000) }],
    ['an unknown field', { couponId: 'x', discount: 100 }],
    ['characters outside the id alphabet', { couponId: 'x y' }],
    ['not an object', ['bob']],
  ])('when the body has %s, then 400 with a structured error and no row', async (_, payload) => {
    const before = await rowCount();
    const res = await issueAs('bob', payload);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({
      error: { code: 'VALIDATION_FAILED', details: expect.any(Array) },
      requestId: expect.any(String),
    });
    expect(await rowCount()).toBe(before);
  });

  it.each([
    ['unknown', null, 404, 'COUPON_NOT_FOUND'],
    ['not started', { from: 60_000, until: 3_600_000 }, 409, 'COUPON_NOT_STARTED'],
    ['expired', { from: -3_600_000, until: -60_000 }, 409, 'COUPON_EXPIRED'],
  ] as const)('when the coupon is %s, then %i %s and no row', async (_, window, status, code) => {
    const couponId = window ? await coupon(window) : 'no-such-coupon';
    const before = await rowCount();
    const res = await issue('carol', couponId);
    expect(res.statusCode).toBe(status);
    expect(res.json().error.code).toBe(code);
    expect(await rowCount()).toBe(before);
  });

  it('when the same user asks twice, then the second is refused as ALREADY_REQUESTED and leaves no row', async () => {
    const couponId = await coupon();
    expect((await issue('dave', couponId)).statusCode).toBe(202);
    const before = await rowCount();
    const again = await issue('dave', couponId);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('ALREADY_REQUESTED');
    expect(await rowCount()).toBe(before);
  });

  it('when the places are gone, then SOLD_OUT at once', async () => {
    const couponId = await coupon(undefined, 2);
    const answers = await Promise.all(
      ['e1', 'e2', 'e3', 'e4'].map((userId) => issue(userId, couponId)),
    );
    expect(answers.map((a) => a.statusCode).sort()).toEqual([202, 202, 409, 409]);
    expect(answers.filter((a) => a.statusCode === 409).map((a) => a.json().error.code)).toEqual([
      'SOLD_OUT',
      'SOLD_OUT',
    ]);
  });

  it('when an Idempotency-Key is repeated, then the same request id comes back; reused for another coupon, then 422', async () => {
    const [first, second] = [await coupon(), await coupon()];
    const headers = { 'idempotency-key': uniqueName('key') };
    const a = await issue('frank', first, headers);
    const b = await issue('frank', first, headers);
    const c = await issue('frank', second, headers);
    expect(a.statusCode).toBe(202);
    expect(b.statusCode).toBe(202);
    expect(b.json().requestId).toBe(a.json().requestId);
    expect(c.statusCode).toBe(422);
    expect(c.json().error.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('when Redis loses the queue of a coupon, then admission is rebuilt from the database: no second place for a user, no extra places', async () => {
    const couponId = await coupon(undefined, 3);
    expect((await issue('g1', couponId)).statusCode).toBe(202);
    await deps.redis.del(...admissionKeys(couponId));

    const again = await issue('g1', couponId);
    const others = await Promise.all(['g2', 'g3', 'g4'].map((userId) => issue(userId, couponId)));

    expect(again.json().error.code).toBe('ALREADY_REQUESTED');
    expect(others.map((o) => o.statusCode).sort()).toEqual([202, 202, 409]);
    expect(
      others
        .map((o) => o.json().sequence)
        .filter(Boolean)
        .sort(),
    ).toEqual([2, 3]);
  });
});

describe('the rest of the API', () => {
  it('when an operator creates a coupon without the API key, then 401 before the body is validated; with it, GET shows what is left', async () => {
    const denied = await app.inject({ method: 'POST', url: '/coupons', payload: {} });
    const wrongKey = await app.inject({
      method: 'POST',
      url: '/coupons',
      headers: { 'x-api-key': `${apiKey}x` },
      payload: {},
    });
    for (const res of [denied, wrongKey]) {
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe('OPERATOR_KEY_REQUIRED');
      expect(res.json().error.details).toBeUndefined(); // nothing about the body's rules
    }
    const couponId = await coupon(undefined, 7);
    const res = await app.inject({ method: 'GET', url: `/coupons/${couponId}` });
    expect(res.json()).toMatchObject({
      id: couponId,
      totalQuantity: 7,
      issuedQuantity: 0,
      remainingQuantity: 7,
    });
  });

  it('when the coupon window is reversed or a percent is over 100, then 422 / 400', async () => {
    const reversed = await app.inject({
      method: 'POST',
      url: '/coupons',
      headers: { 'x-api-key': apiKey },
      payload: {
        name: 'r',
        discountType: 'AMOUNT',
        discountValue: 1,
        totalQuantity: 1,
        validFrom: '2026-12-01T00:00:00Z',
        validUntil: '2026-11-01T00:00:00Z',
      },
    });
    const percent = await app.inject({
      method: 'POST',
      url: '/coupons',
      headers: { 'x-api-key': apiKey },
      payload: {
        name: 'p',
        discountType: 'PERCENT',
        discountValue: 150,
        totalQuantity: 1,
        validFrom: '2026-11-01T00:00:00Z',
        validUntil: '2026-12-01T00:00:00Z',
      },
    });
    expect(reversed.statusCode).toBe(422);
    expect(reversed.json().error.code).toBe('INVALID_VALIDITY_WINDOW');
    expect(percent.statusCode).toBe(400);
  });

  it('answers 404 for an unknown request, 400 for a malformed id, and lists a user with no coupons as empty', async () => {
    const headers = await bearer('nobody');
    const get = (url: string) => app.inject({ method: 'GET', url, headers });
    expect((await get(`/coupons/requests/${crypto.randomUUID()}`)).statusCode).toBe(404);
    expect((await get('/coupons/requests/not-a-uuid')).statusCode).toBe(400);
    expect((await get('/users/me/coupons')).json()).toEqual([]);
    expect((await get('/users/nobody/coupons')).json()).toEqual([]);
  });

  it('is ready while its dependencies answer, and documents every route in OpenAPI', async () => {
    expect((await app.inject({ method: 'GET', url: '/readyz' })).json()).toEqual({
      status: 'ready',
      checks: { database: 'up', redis: 'up', kafka: 'up' },
    });
    const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/coupons',
      '/coupons/issue',
      '/coupons/requests/{requestId}',
      '/coupons/{couponId}',
      '/ops/dead-letters',
      '/ops/dead-letters/purge',
      '/ops/dead-letters/replay',
      '/ops/dead-letters/{partition}/{offset}',
      '/users/me/coupon-events',
      '/users/me/coupons',
      '/users/{userId}/coupon-events',
      '/users/{userId}/coupons',
    ]);
    expect(doc.components.securitySchemes.shopperToken).toMatchObject({ scheme: 'bearer' });
    const issue = doc.paths['/coupons/issue'].post;
    expect(issue.security).toEqual([{ shopperToken: [] }]);
    expect(Object.keys(issue.responses)).toEqual(
      expect.arrayContaining(['202', '401', '403', '429', '503']),
    );
    expect(doc.paths['/coupons'].post.security).toEqual([{ operatorKey: [] }]);
  });
});
