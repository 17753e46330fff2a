import { DomainError } from '@commerce/service';
import type { Coupon, NewCoupon } from './model.ts';

export interface CouponReader {
  find(couponId: string): Promise<Coupon | null>;
}

export interface CouponRepository extends CouponReader {
  /** Stores the coupon; null when its id is taken. */
  insert(coupon: NewCoupon): Promise<Coupon | null>;
}

/** An operator opens a coupon for the rush. */
export async function createCoupon(
  deps: { coupons: CouponRepository },
  input: NewCoupon,
): Promise<Coupon> {
  if (input.validFrom >= input.validUntil) {
    throw new DomainError('INVALID_VALIDITY_WINDOW', 'validFrom must be before validUntil');
  }
  const created = await deps.coupons.insert(input);
  if (!created) throw new DomainError('COUPON_EXISTS', `coupon ${input.id} already exists`);
  return created;
}

/** A coupon and how many are left (read from the database, never cached). */
export async function getCoupon(
  deps: { coupons: CouponReader },
  couponId: string,
): Promise<Coupon> {
  const coupon = await deps.coupons.find(couponId);
  if (!coupon) throw new DomainError('COUPON_NOT_FOUND', `coupon ${couponId} does not exist`);
  return coupon;
}
