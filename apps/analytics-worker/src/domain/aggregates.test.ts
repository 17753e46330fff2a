import { anEvent } from '@commerce/events/testing';
import { describe, expect, it } from 'vitest';
import { aggregate } from './aggregates.ts';
import { toFacts } from './facts.ts';
import type { AnalyticsEvent } from './model.ts';

const t0 = Date.parse('2026-03-09T15:10:00Z'); // 00:10 in Seoul

describe('aggregate', () => {
  it('when two orders of one buyer and one of another fall in one hour, then the hour has 3 orders, 2 buyers, and per-product units and revenue', () => {
    const order = (userId: string, quantity: number) =>
      anEvent('OrderCompleted', {
        userId,
        occurredAt: t0,
        items: [{ productId: 'p1', quantity, unitPrice: 1_000 }],
        totalAmount: quantity * 1_000,
      });
    const events: AnalyticsEvent[] = [order('a', 1), order('a', 2), order('b', 3)].map(
      (payload, i) => ({ type: 'OrderCompleted', payload, offset: String(i) }),
    );
    const deltas = aggregate(toFacts(events, 'Asia/Seoul'));
    expect(deltas.hours).toEqual([
      {
        hourStart: new Date('2026-03-09T15:00:00Z'),
        day: '2026-03-10',
        orders: 3,
        revenue: 6_000,
        buyers: new Set(['a', 'b']),
      },
    ]);
    expect(deltas.productHours).toMatchObject([{ productId: 'p1', units: 6, revenue: 6_000 }]);
  });

  it('when a coupon has issues and failures, then it counts them by reason and keeps the first OUT_OF_STOCK as sold out', () => {
    const results: AnalyticsEvent[] = [
      {
        type: 'CouponIssueSucceeded',
        payload: anEvent('CouponIssueSucceeded', { couponId: 'c', occurredAt: t0 + 5 }),
        offset: '0',
      },
      {
        type: 'CouponIssueFailed',
        payload: anEvent('CouponIssueFailed', {
          couponId: 'c',
          occurredAt: t0 + 30,
          reason: 'OUT_OF_STOCK',
        }),
        offset: '1',
      },
      {
        type: 'CouponIssueFailed',
        payload: anEvent('CouponIssueFailed', {
          couponId: 'c',
          occurredAt: t0 + 20,
          reason: 'OUT_OF_STOCK',
        }),
        offset: '2',
      },
      {
        type: 'CouponIssueFailed',
        payload: anEvent('CouponIssueFailed', {
          couponId: 'c',
          occurredAt: t0,
          reason: 'ALREADY_ISSUED',
        }),
        offset: '3',
      },
    ];
    const [coupon] = aggregate(toFacts(results, 'Asia/Seoul')).coupons;
    expect(coupon).toEqual({
      couponId: 'c',
      requested: 4,
      issued: 1,
      failed: 3,
      firstResultAt: new Date(t0),
      lastResultAt: new Date(t0 + 30),
      soldOutAt: new Date(t0 + 20),
      failuresByReason: new Map([
        ['OUT_OF_STOCK', 2],
        ['ALREADY_ISSUED', 1],
      ]),
    });
  });
});
