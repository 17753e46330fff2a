import { hourBucket } from './hours.ts';
import type { AnalyticsEvent, Facts } from './model.ts';

/** The facts of a batch's events, each in the local hour of its occurredAt. */
export function toFacts(events: readonly AnalyticsEvent[], timeZone: string): Facts {
  const facts: Facts = { orders: [], stockChanges: [], couponResults: [] };
  for (const { type, payload, offset } of events) {
    const base = {
      eventId: payload.eventId,
      offset,
      occurredAt: new Date(payload.occurredAt),
      hour: hourBucket(payload.occurredAt, timeZone),
    };
    if (type === 'OrderCompleted') {
      facts.orders.push({
        ...base,
        orderId: payload.orderId,
        userId: payload.userId,
        totalAmount: payload.totalAmount,
        currency: payload.currency,
        lines: payload.items.map((item, lineNo) => ({
          lineNo,
          productId: item.productId,
          quantity: item.quantity,
          unitPrice: item.unitPrice,
          revenue: item.quantity * item.unitPrice,
        })),
      });
    } else if (type === 'ProductStockChanged') {
      facts.stockChanges.push({
        ...base,
        productId: payload.productId,
        previousStock: payload.previousStock,
        currentStock: payload.currentStock,
        reason: payload.reason,
        orderId: payload.orderId,
      });
    } else {
      facts.couponResults.push({
        ...base,
        requestId: payload.requestId,
        couponId: payload.couponId,
        userId: payload.userId,
        outcome: type === 'CouponIssueSucceeded' ? 'ISSUED' : 'FAILED',
        reason: type === 'CouponIssueFailed' ? payload.reason : null,
      });
    }
  }
  return facts;
}

/** The facts whose event passes `keep` (the ones not applied before). */
export function filterFacts(
  facts: Facts,
  keep: (fact: { eventId: string; offset: string }) => boolean,
): Facts {
  return {
    orders: facts.orders.filter(keep),
    stockChanges: facts.stockChanges.filter(keep),
    couponResults: facts.couponResults.filter(keep),
  };
}
