import { anEvent } from '@commerce/events/testing';
import { probeEveryRoute } from '@commerce/service/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabaseSink } from '../src/data-access/database.sink.ts';
import { toFacts } from '../src/domain/facts.ts';
import type { AnalyticsEvent } from '../src/domain/model.ts';
import { anOrder, seoulMidnight, type TestEvent } from './support/events.ts';
import { createHarness, type Harness, operatorHeaders } from './support/harness.ts';

let h: Harness;
let app: Awaited<ReturnType<Harness['worker']>>['app'];
/** A read API call as an operator. */
const read = (request: { url: string; headers?: Record<string, string> }) =>
  app.inject({ ...request, headers: { ...operatorHeaders, ...request.headers } });
const HOUR = 3_600_000;

beforeAll(async () => {
  h = await createHarness();
  app = (await h.worker()).app;
  const events: TestEvent[] = [
    anOrder(seoulMidnight - HOUR + 10, 'a', [
      ['kettle', 2, 1_000],
      ['lamp', 1, 5_000],
    ]),
    anOrder(seoulMidnight + 10, 'a', [['kettle', 1, 1_000]]),
    anOrder(seoulMidnight + 20, 'b', [['lamp', 3, 5_000]]),
    {
      type: 'CouponIssueSucceeded',
      payload: anEvent('CouponIssueSucceeded', { couponId: 'c1', occurredAt: seoulMidnight }),
    },
    {
      type: 'CouponIssueFailed',
      payload: anEvent('CouponIssueFailed', {
        couponId: 'c1',
        occurredAt: seoulMidnight + 1_500,
        reason: 'OUT_OF_STOCK',
      }),
    },
  ];
  const sink = createDatabaseSink(h.pool, { strategy: 'event-id' });
  const analytics = events.map((e, i) => ({ ...e, offset: String(i) }) as AnalyticsEvent);
  await sink.write({
    source: {
      consumerGroup: h.groupId,
      topic: 't',
      partition: 0,
      firstOffset: '0',
      lastOffset: '4',
    },
    facts: toFacts(analytics, 'Asia/Seoul'),
  });
});
afterAll(() => h?.close());

const range = 'from=2026-03-09T00:00:00%2B09:00&to=2026-03-11T00:00:00%2B09:00';

describe('the analytics read API', () => {
  it('when sales are asked per hour, then each hour has its orders, revenue and distinct buyers', async () => {
    const res = await read({ url: `/analytics/sales?${range}` });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      timeZone: 'Asia/Seoul',
      granularity: 'hour',
      from: '2026-03-08T15:00:00.000Z',
      to: '2026-03-10T15:00:00.000Z',
      productId: null,
      buckets: [
        { bucket: '2026-03-09T14:00:00.000Z', orders: 1, revenue: 7_000, buyers: 1 },
        { bucket: '2026-03-09T15:00:00.000Z', orders: 2, revenue: 16_000, buyers: 2 },
      ],
    });
  });

  it('when one product’s sales are asked per day, then its units and revenue are summed per Seoul day', async () => {
    const res = await read({
      url: `/analytics/sales?${range}&granularity=day&productId=lamp`,
    });
    expect(res.json().buckets).toEqual([
      { bucket: '2026-03-09', units: 1, revenue: 5_000 },
      { bucket: '2026-03-10', units: 3, revenue: 15_000 },
    ]);
  });

  it('when top products are asked by units or by revenue, then the order follows the measure', async () => {
    const byUnits = await read({ url: `/analytics/products/top?${range}&by=units` });
    expect(byUnits.json().items.map((i: { productId: string }) => i.productId)).toEqual([
      'lamp',
      'kettle',
    ]);
    const byRevenue = await read({
      url: `/analytics/products/top?${range}&by=revenue&limit=1`,
    });
    expect(byRevenue.json().items).toEqual([
      { rank: 1, productId: 'lamp', units: 4, revenue: 20_000 },
    ]);
  });

  it('when a coupon is asked, then it reports requested, issued, failures by reason and the time to sold out', async () => {
    const res = await read({ url: '/analytics/coupons/c1' });
    expect(res.json()).toMatchObject({
      couponId: 'c1',
      requested: 2,
      issued: 1,
      failed: 1,
      failedByReason: { OUT_OF_STOCK: 1 },
      timeToSoldOutMs: 1_500,
    });
    const recent = await read({ url: '/analytics/coupons?limit=5' });
    expect(recent.json().items).toEqual([
      expect.objectContaining({ couponId: 'c1', requested: 2, issued: 1, failed: 1 }),
    ]);
    const missing = await read({ url: '/analytics/coupons/nope' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('COUPON_NOT_FOUND');
  });

  it('when the caller accepts text/csv, then every report comes as CSV with a header line', async () => {
    const sales = await read({
      url: `/analytics/sales?${range}`,
      headers: { accept: 'text/csv' },
    });
    expect(sales.headers['content-type']).toMatch(/^text\/csv/);
    expect(sales.body).toBe(
      'bucket,orders,revenue,buyers\r\n2026-03-09T14:00:00.000Z,1,7000,1\r\n2026-03-09T15:00:00.000Z,2,16000,2\r\n',
    );
    const top = await read({
      url: `/analytics/products/top?${range}`,
      headers: { accept: 'text/csv' },
    });
    expect(top.body.split('\r\n')[0]).toBe('rank,productId,units,revenue');
    const coupon = await read({
      url: '/analytics/coupons/c1',
      headers: { accept: 'text/csv' },
    });
    expect(coupon.body.split('\r\n')[1]).toMatch(/^c1,2,1,1,OUT_OF_STOCK,1,/);
  });

  it.each([
    ['a missing range', '/analytics/sales?granularity=hour', 'VALIDATION_FAILED'],
    [
      'a date without a time',
      '/analytics/sales?from=2026-03-09&to=2026-03-10',
      'VALIDATION_FAILED',
    ],
    ['an unknown granularity', `/analytics/sales?${range}&granularity=week`, 'VALIDATION_FAILED'],
    ['an unknown parameter', `/analytics/sales?${range}&zone=UTC`, 'VALIDATION_FAILED'],
    [
      'from after to',
      '/analytics/sales?from=2026-03-10T00:00:00Z&to=2026-03-09T00:00:00Z',
      'INVALID_RANGE',
    ],
    ['a limit of 0', `/analytics/products/top?${range}&limit=0`, 'VALIDATION_FAILED'],
    ['an unknown measure', `/analytics/products/top?${range}&by=margin`, 'VALIDATION_FAILED'],
  ])(
    'when the query has %s, then the answer is 400 with a structured error',
    async (_, url, code) => {
      const res = await read({ url });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({
        error: { code, message: expect.any(String) },
        requestId: expect.any(String),
      });
    },
  );

  it.each([
    ['no key', {}],
    ['a wrong key', { 'x-api-key': 'not-the-operator-key-at-all' }],
  ])(
    'when a report is asked with %s, then the answer is 401 before any validation',
    async (_, headers) => {
      const res = await app.inject({ url: '/analytics/sales?granularity=week', headers });
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe('OPERATOR_KEY_REQUIRED');
    },
  );

  it('when any report gets huge or malformed headers, with or without the key, then it answers 4xx or ignores them, never 5xx', async () => {
    const params = { couponId: 'c1' };
    expect(await probeEveryRoute(app, { params })).toEqual([]);
    expect(await probeEveryRoute(app, { base: operatorHeaders, params })).toEqual([]);
  });

  it('when the OpenAPI document is read, then it lists the three reports and the dead-letter tool', async () => {
    const doc = (await read({ url: '/openapi.json' })).json();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/analytics/sales',
        '/analytics/products/top',
        '/analytics/coupons/{couponId}',
        '/ops/dead-letters',
        '/ops/dead-letters/replay',
      ]),
    );
  });
});
