import { DomainError } from '@commerce/service';
import type {
  CouponsRepository,
  CouponView,
  NewCoupon,
} from '../data-access/coupons.repository.ts';

/** An operator opens a coupon for the rush. */
export async function createCoupon(
  coupons: CouponsRepository,
  input: NewCoupon,
): Promise<CouponView> {
  if (input.validFrom >= input.validUntil) {
    throw new DomainError('INVALID_VALIDITY_WINDOW', 'validFrom must be before validUntil');
  }
  const created = await coupons.create(input);
  if (!created) throw new DomainError('COUPON_EXISTS', `coupon ${input.id} already exists`);
  return created;
}
