import type { Facts } from './model.ts';

export interface HourDelta {
  hourStart: Date;
  day: string;
  orders: number;
  revenue: number;
  buyers: Set<string>;
}

export interface ProductHourDelta {
  hourStart: Date;
  day: string;
  productId: string;
  units: number;
  revenue: number;
}

export interface CouponDelta {
  couponId: string;
  requested: number;
  issued: number;
  failed: number;
  firstResultAt: Date;
  lastResultAt: Date;
  /** The earliest OUT_OF_STOCK result of the batch, if any. */
  soldOutAt: Date | null;
  failuresByReason: Map<string, number>;
}

export interface AggregateDeltas {
  hours: HourDelta[];
  productHours: ProductHourDelta[];
  coupons: CouponDelta[];
}

function upsert<K, V>(map: Map<K, V>, key: K, create: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = create();
    map.set(key, value);
  }
  return value;
}

/**
 * What a batch's (new) facts add to the aggregates, summed per hour, per hour and product,
 * and per coupon, so the database gets one upsert per key instead of one per fact.
 * Hourly revenue is the order total; product revenue is quantity × unit price of its lines.
 */
export function aggregate(facts: Facts): AggregateDeltas {
  const hours = new Map<number, HourDelta>();
  const productHours = new Map<string, ProductHourDelta>();
  const coupons = new Map<string, CouponDelta>();
  for (const order of facts.orders) {
    const { start, day } = order.hour;
    const hour = upsert(hours, start.getTime(), () => ({
      hourStart: start,
      day,
      orders: 0,
      revenue: 0,
      buyers: new Set<string>(),
    }));
    hour.orders += 1;
    hour.revenue += order.totalAmount;
    hour.buyers.add(order.userId);
    for (const line of order.lines) {
      const key = `${start.getTime()}|${line.productId}`;
      const product = upsert(productHours, key, () => ({
        hourStart: start,
        day,
        productId: line.productId,
        units: 0,
        revenue: 0,
      }));
      product.units += line.quantity;
      product.revenue += line.revenue;
    }
  }
  for (const result of facts.couponResults) {
    const coupon = upsert(coupons, result.couponId, () => ({
      couponId: result.couponId,
      requested: 0,
      issued: 0,
      failed: 0,
      firstResultAt: result.occurredAt,
      lastResultAt: result.occurredAt,
      soldOutAt: null,
      failuresByReason: new Map(),
    }));
    coupon.requested += 1;
    if (result.occurredAt < coupon.firstResultAt) coupon.firstResultAt = result.occurredAt;
    if (result.occurredAt > coupon.lastResultAt) coupon.lastResultAt = result.occurredAt;
    if (result.outcome === 'ISSUED') {
      coupon.issued += 1;
      continue;
    }
    coupon.failed += 1;
    const reason = result.reason ?? 'UNKNOWN';
    coupon.failuresByReason.set(reason, (coupon.failuresByReason.get(reason) ?? 0) + 1);
    if (reason === 'OUT_OF_STOCK' && (!coupon.soldOutAt || result.occurredAt < coupon.soldOutAt))
      coupon.soldOutAt = result.occurredAt;
  }
  return {
    hours: [...hours.values()],
    productHours: [...productHours.values()],
    coupons: [...coupons.values()],
  };
}
