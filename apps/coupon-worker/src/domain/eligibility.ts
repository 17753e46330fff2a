import type { FailureReason } from './model.ts';

export interface CouponWindow {
  validFrom: Date;
  validUntil: Date;
}

/** Why a coupon cannot be issued at `now` regardless of stock, or null when it can. */
export function windowRejection(coupon: CouponWindow | null, now: Date): FailureReason | null {
  if (!coupon) return 'COUPON_NOT_FOUND';
  if (now < coupon.validFrom) return 'NOT_STARTED';
  if (now >= coupon.validUntil) return 'EXPIRED';
  return null;
}
