import type { EventPayloads } from '@commerce/events';
import { anEvent } from '@commerce/events/testing';

export type TestEvent =
  | { type: 'OrderCompleted'; payload: EventPayloads['OrderCompleted'] }
  | { type: 'ProductStockChanged'; payload: EventPayloads['ProductStockChanged'] }
  | { type: 'CouponIssueSucceeded'; payload: EventPayloads['CouponIssueSucceeded'] }
  | { type: 'CouponIssueFailed'; payload: EventPayloads['CouponIssueFailed'] };

/** 00:00 of 2026-03-10 in Seoul. */
export const seoulMidnight = Date.parse('2026-03-09T15:00:00Z');
const reasons = ['OUT_OF_STOCK', 'ALREADY_ISSUED', 'EXPIRED'] as const;

export function anOrder(
  occurredAt: number,
  userId: string,
  lines: [productId: string, quantity: number, unitPrice: number][],
): TestEvent {
  const items = lines.map(([productId, quantity, unitPrice]) => ({
    productId,
    quantity,
    unitPrice,
  }));
  return {
    type: 'OrderCompleted',
    payload: anEvent('OrderCompleted', {
      occurredAt,
      userId,
      items,
      totalAmount: items.reduce((sum, i) => sum + i.quantity * i.unitPrice, 0),
    }),
  };
}

/**
 * `count` events of every kind analytics counts, spread over the six hours around a Seoul
 * midnight, from 20 buyers, 5 products and 2 coupons; deterministic for a given `seed`.
 */
export function mixedEvents(count: number, seed = 1): TestEvent[] {
  let state = seed;
  const next = (n: number) => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state % n;
  };
  return Array.from({ length: count }, (_, i): TestEvent => {
    const occurredAt = seoulMidnight - 3 * 3_600_000 + next(6 * 3_600_000);
    const userId = `buyer-${next(20)}`;
    const kind = i % 4;
    if (kind <= 1)
      return anOrder(
        occurredAt,
        userId,
        Array.from({ length: 1 + next(3) }, () => [
          `product-${next(5)}`,
          1 + next(4),
          100 * (1 + next(50)),
        ]),
      );
    if (kind === 2)
      return {
        type: 'ProductStockChanged',
        payload: anEvent('ProductStockChanged', { occurredAt, productId: `product-${next(5)}` }),
      };
    const couponId = `coupon-${next(2)}`;
    return next(3) === 0
      ? {
          type: 'CouponIssueSucceeded',
          payload: anEvent('CouponIssueSucceeded', { occurredAt, userId, couponId }),
        }
      : {
          type: 'CouponIssueFailed',
          payload: anEvent('CouponIssueFailed', {
            occurredAt,
            userId,
            couponId,
            reason: reasons[next(reasons.length)] as (typeof reasons)[number],
          }),
        };
  });
}
