import { forgedTokens, probeEveryRoute } from '@commerce/service/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CouponApiUnderTest, operatorKey, startCouponApi } from './support/api.ts';

// Who may do what on coupon-api: tokens, other users, and what nothing may write.
let api: CouponApiUnderTest;
beforeAll(async () => {
  api = await startCouponApi();
});
afterAll(() => api.close());

const written = () => api.deps.prisma.couponRequest.count();

describe('POST /coupons/issue without a valid token', () => {
  it('when the token is missing, expired, from another issuer, unsigned or HS256 with the public key, then 401 and nothing is written or admitted', async () => {
    const couponId = await api.createCoupon(1);
    const before = await written();
    const forged = await forgedTokens(api.idp, 'eve');
    const cases: [Record<string, string>, string][] = [
      [{}, 'TOKEN_REQUIRED'],
      [{ authorization: await api.idp.mint('eve') }, 'TOKEN_REQUIRED'], // no "Bearer"
      ...Object.values(forged).map((token): [Record<string, string>, string] => [
        { authorization: `Bearer ${token}` },
        'TOKEN_INVALID',
      ]),
    ];
    for (const [headers, code] of cases) {
      const res = await api.issue(headers, { couponId });
      expect(res.statusCode, code).toBe(401);
      expect(res.json().error.code).toBe(code);
    }
    expect(await written()).toBe(before);
    // The coupon's only place is still free: nothing was admitted.
    const first = await api.issue(await api.bearer('eve'), { couponId });
    expect(first.json()).toMatchObject({ sequence: 1 });
  });
});

describe("another user's data", () => {
  it('when the body names another user, then 403 FORBIDDEN_USER and no row; naming oneself is accepted', async () => {
    const couponId = await api.createCoupon();
    const before = await written();
    const other = await api.issue(await api.bearer('mallory'), { couponId, userId: 'alice' });
    expect(other.statusCode).toBe(403);
    expect(other.json().error.code).toBe('FORBIDDEN_USER');
    expect(await written()).toBe(before);
    const own = await api.issue(await api.bearer('mallory'), { couponId, userId: 'mallory' });
    expect(own.statusCode).toBe(202);
    expect(
      await api.deps.prisma.couponRequest.findUnique({
        where: { requestId: own.json().requestId },
      }),
    ).toMatchObject({ userId: 'mallory' });
  });

  it("when a shopper asks for another user's coupons, stream or request, then 403 / 404, and their own are served", async () => {
    const couponId = await api.createCoupon();
    const accepted = await api.issue(await api.bearer('alice'), { couponId });
    const requestUrl = `/coupons/requests/${accepted.json().requestId}`;
    const mallory = await api.bearer('mallory');
    const get = (url: string, headers = mallory) => api.app.inject({ method: 'GET', url, headers });

    expect((await get('/users/alice/coupons')).statusCode).toBe(403);
    expect((await get('/users/alice/coupon-events')).json().error.code).toBe('FORBIDDEN_USER');
    expect((await get(requestUrl)).statusCode).toBe(404);
    expect((await get(requestUrl, await api.bearer('alice'))).json()).toMatchObject({
      userId: 'alice',
    });
    expect((await get('/users/me/coupons')).statusCode).toBe(200);
  });
});

describe('rate limits on the rush', () => {
  it('when one shopper hammers the issue endpoint, then they get 429 with Retry-After, while well-behaved shoppers are admitted in the order they asked', async () => {
    const limited = await startCouponApi({
      RATE_LIMIT_PER_USER: '3',
      RATE_LIMIT_WINDOW_MS: '10000',
    });
    try {
      const couponId = await limited.createCoupon(6);
      const greedy = await limited.bearer('greedy');
      const answers: { who: string; status: number; code?: string; sequence?: number }[] = [];
      for (let i = 0; i < 5; i++) {
        // The greedy shopper sends a burst before each polite shopper asks once.
        for (let burst = 0; burst < 4; burst++) {
          const res = await limited.issue(greedy, { couponId });
          answers.push({ who: 'greedy', status: res.statusCode, code: res.json().error?.code });
          if (res.statusCode === 429) expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
        }
        const res = await limited.issue(await limited.bearer(`polite-${i}`), { couponId });
        answers.push({ who: `polite-${i}`, status: res.statusCode, sequence: res.json().sequence });
      }
      const polite = answers.filter((a) => a.who.startsWith('polite'));
      expect(polite.map((a) => a.status)).toEqual([202, 202, 202, 202, 202]);
      // Fairness: places in the order asked, right after the greedy shopper's single place.
      expect(polite.map((a) => a.sequence)).toEqual([2, 3, 4, 5, 6]);
      const greedyAnswers = answers.filter((a) => a.who === 'greedy');
      expect(greedyAnswers.filter((a) => a.status === 202)).toHaveLength(1);
      expect(greedyAnswers.filter((a) => a.status === 429).length).toBeGreaterThanOrEqual(16);
      expect(new Set(greedyAnswers.filter((a) => a.status === 409).map((a) => a.code))).toEqual(
        new Set(['ALREADY_REQUESTED']),
      );
    } finally {
      await limited.close();
    }
  });
});

describe('hostile headers', () => {
  it('when any route gets huge or malformed headers, with or without credentials, then it answers 4xx or ignores them, never 5xx', async () => {
    const couponId = await api.createCoupon();
    const accepted = await api.issue(await api.bearer('hdr'), { couponId });
    const params = { couponId, requestId: accepted.json().requestId, userId: 'hdr' };
    expect(await probeEveryRoute(api.app, { params })).toEqual([]);
    const base = { ...(await api.bearer('hdr')), 'x-api-key': operatorKey };
    // With a valid token the result streams open and never end: they are probed without one.
    const streams = (_: string, path: string) => path.endsWith('/coupon-events');
    expect(await probeEveryRoute(api.app, { base, params, skip: streams })).toEqual([]);
  });
});
