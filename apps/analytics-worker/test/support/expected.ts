import type { TestEvent } from './events.ts';

/** What the aggregate tables should hold, as the test reads them back (see Harness.aggregates). */
export interface Aggregates {
  hours: Record<string, { day: string; orders: number; revenue: number; buyers: number }>;
  products: Record<string, { units: number; revenue: number }>;
  coupons: Record<
    string,
    {
      requested: number;
      issued: number;
      failed: number;
      first: number;
      last: number;
      soldOut: number | null;
      failures: Record<string, number>;
    }
  >;
  facts: { orderLines: number; stockChanges: number; couponResults: number };
}

function slot<V>(record: Record<string, V>, key: string, init: () => V): V {
  record[key] ??= init();
  return record[key];
}

const HOUR = 3_600_000;
const SEOUL = 9 * HOUR; // Asia/Seoul has no daylight saving time

/**
 * The aggregates computed straight from the produced events, for Asia/Seoul, without any of
 * the worker's code: what the database must equal whatever was redelivered.
 */
export function expectedAggregates(events: readonly TestEvent[]): Aggregates {
  const result: Aggregates = {
    hours: {},
    products: {},
    coupons: {},
    facts: { orderLines: 0, stockChanges: 0, couponResults: 0 },
  };
  const buyers = new Map<string, Set<string>>();
  for (const { type, payload } of events) {
    const hour = new Date(
      Math.floor((payload.occurredAt + SEOUL) / HOUR) * HOUR - SEOUL,
    ).toISOString();
    const day = new Date(payload.occurredAt + SEOUL).toISOString().slice(0, 10);
    if (type === 'OrderCompleted') {
      const h = slot(result.hours, hour, () => ({ day, orders: 0, revenue: 0, buyers: 0 }));
      h.orders += 1;
      h.revenue += payload.totalAmount;
      const set = buyers.get(hour) ?? new Set();
      set.add(payload.userId);
      buyers.set(hour, set);
      h.buyers = set.size;
      for (const item of payload.items) {
        const p = slot(result.products, `${hour}|${item.productId}`, () => ({
          units: 0,
          revenue: 0,
        }));
        p.units += item.quantity;
        p.revenue += item.quantity * item.unitPrice;
        result.facts.orderLines += 1;
      }
    } else if (type === 'ProductStockChanged') {
      result.facts.stockChanges += 1;
    } else {
      result.facts.couponResults += 1;
      const c = slot(result.coupons, payload.couponId, () => ({
        requested: 0,
        issued: 0,
        failed: 0,
        first: payload.occurredAt,
        last: payload.occurredAt,
        soldOut: null,
        failures: {},
      }));
      c.requested += 1;
      c.first = Math.min(c.first, payload.occurredAt);
      c.last = Math.max(c.last, payload.occurredAt);
      if (type === 'CouponIssueSucceeded') c.issued += 1;
      else {
        c.failed += 1;
        c.failures[payload.reason] = (c.failures[payload.reason] ?? 0) + 1;
        if (payload.reason === 'OUT_OF_STOCK')
          c.soldOut = Math.min(c.soldOut ?? Number.POSITIVE_INFINITY, payload.occurredAt);
      }
    }
  }
  return result;
}
