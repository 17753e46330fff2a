/** A half-open span of instants: from ≤ t < to. */
export interface Range {
  from: Date;
  to: Date;
}

export interface SalesRow {
  /** The hour's UTC start (ISO) for hours, the local day (YYYY-MM-DD) for days. */
  bucket: string;
  orders: number;
  revenue: number;
  buyers: number;
}

export interface ProductSalesRow {
  bucket: string;
  units: number;
  revenue: number;
}

export interface ProductTotals {
  productId: string;
  units: number;
  revenue: number;
}

export interface CouponTotals {
  couponId: string;
  requested: number;
  issued: number;
  failed: number;
  failedByReason: Record<string, number>;
  firstResultAt: Date;
  lastResultAt: Date;
  soldOutAt: Date | null;
}

export type Granularity = 'hour' | 'day';

/** What the read API needs of the aggregates (data-access implements it). */
export interface ReportReader {
  sales(range: Range, granularity: Granularity): Promise<SalesRow[]>;
  productSales(
    range: Range,
    granularity: Granularity,
    productId: string,
  ): Promise<ProductSalesRow[]>;
  topProducts(range: Range, by: 'units' | 'revenue', limit: number): Promise<ProductTotals[]>;
  coupon(couponId: string): Promise<CouponTotals | null>;
  /** The coupons with the latest results first (their failures by reason left out). */
  recentCoupons(limit: number): Promise<Omit<CouponTotals, 'failedByReason'>[]>;
}
