import { DomainError } from '@commerce/service';
import type { CouponTotals, ReportReader } from './report-reader.ts';

export interface CouponReport extends CouponTotals {
  /** From the first result to the first OUT_OF_STOCK result; null while not sold out. */
  timeToSoldOutMs: number | null;
}

/** A coupon's results: requested, issued, failed by reason, and how fast it sold out. */
export async function couponReport(
  deps: { reports: ReportReader },
  couponId: string,
): Promise<CouponReport> {
  const totals = await deps.reports.coupon(couponId);
  if (!totals) throw new DomainError('COUPON_NOT_FOUND', `no results for coupon ${couponId}`);
  return {
    ...totals,
    timeToSoldOutMs: totals.soldOutAt
      ? totals.soldOutAt.getTime() - totals.firstResultAt.getTime()
      : null,
  };
}
