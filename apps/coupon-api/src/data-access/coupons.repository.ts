import type { Coupon as CouponRow, PrismaClient } from '@commerce/coupon-db';
import type { CouponReader, CouponRepository } from '../domain/coupons.ts';
import type { Coupon } from '../domain/model.ts';

const toCoupon = (row: CouponRow): Coupon => ({
  id: row.id,
  name: row.name,
  discountType: row.discountType,
  discountValue: row.discountValue,
  totalQuantity: row.totalQuantity,
  issuedQuantity: row.issuedQuantity,
  remainingQuantity: row.totalQuantity - row.issuedQuantity,
  validFrom: row.validFrom,
  validUntil: row.validUntil,
  createdAt: row.createdAt,
});

export function createCouponRepository(prisma: PrismaClient): CouponRepository {
  return {
    async insert(coupon) {
      try {
        return toCoupon(await prisma.coupon.create({ data: coupon }));
      } catch (err) {
        if ((err as { code?: string }).code === 'P2002') return null;
        throw err;
      }
    },
    async find(couponId) {
      const row = await prisma.coupon.findUnique({ where: { id: couponId } });
      return row && toCoupon(row);
    },
  };
}

/**
 * Coupons as of at most `ttlMs` ago: during a rush every request asks for the same coupon,
 * and its window and total rarely change (the worker re-reads them anyway).
 */
export function cachedCoupons(reader: CouponReader, ttlMs: number): CouponReader {
  const cache = new Map<string, { expires: number; coupon: Promise<Coupon | null> }>();
  return {
    find(couponId) {
      const now = Date.now();
      const hit = cache.get(couponId);
      if (hit && hit.expires > now) return hit.coupon;
      const coupon = reader.find(couponId);
      cache.set(couponId, { expires: now + ttlMs, coupon });
      coupon.catch(() => cache.delete(couponId));
      return coupon;
    },
  };
}
