import type { Coupon, PrismaClient } from '@commerce/coupon-db';
import type { AdmissionSnapshot } from './admission.ts';

export interface NewCoupon {
  id: string;
  name: string;
  discountType: 'AMOUNT' | 'PERCENT';
  discountValue: number;
  totalQuantity: number;
  validFrom: Date;
  validUntil: Date;
}

export interface CouponView extends NewCoupon {
  issuedQuantity: number;
  remainingQuantity: number;
  createdAt: Date;
}

const toView = (coupon: Coupon): CouponView => ({
  id: coupon.id,
  name: coupon.name,
  discountType: coupon.discountType,
  discountValue: coupon.discountValue,
  totalQuantity: coupon.totalQuantity,
  issuedQuantity: coupon.issuedQuantity,
  remainingQuantity: coupon.totalQuantity - coupon.issuedQuantity,
  validFrom: coupon.validFrom,
  validUntil: coupon.validUntil,
  createdAt: coupon.createdAt,
});

export class CouponsRepository {
  private readonly prisma: PrismaClient;
  private readonly cacheTtlMs: number;
  private readonly cache = new Map<
    string,
    { expires: number; coupon: Promise<CouponView | null> }
  >();

  constructor(prisma: PrismaClient, cacheTtlMs: number) {
    this.prisma = prisma;
    this.cacheTtlMs = cacheTtlMs;
  }

  /** Inserts the coupon; false when the id is taken. */
  async create(coupon: NewCoupon): Promise<CouponView | null> {
    try {
      return toView(await this.prisma.coupon.create({ data: coupon }));
    } catch (err) {
      if ((err as { code?: string }).code === 'P2002') return null;
      throw err;
    }
  }

  async find(id: string): Promise<CouponView | null> {
    const coupon = await this.prisma.coupon.findUnique({ where: { id } });
    return coupon && toView(coupon);
  }

  /**
   * The coupon as of at most `cacheTtlMs` ago: during a rush every request asks for the
   * same coupon, and its window and total rarely change (the worker re-reads them anyway).
   */
  findCached(id: string): Promise<CouponView | null> {
    const now = Date.now();
    const hit = this.cache.get(id);
    if (hit && hit.expires > now) return hit.coupon;
    const coupon = this.find(id);
    this.cache.set(id, { expires: now + this.cacheTtlMs, coupon });
    coupon.catch(() => this.cache.delete(id));
    return coupon;
  }

  /** The admission queue as the database sees it: places left, last place given, users in it. */
  async admissionSnapshot(coupon: CouponView): Promise<AdmissionSnapshot> {
    const [pending, last, issuedUsers] = await Promise.all([
      this.prisma.couponRequest.findMany({
        where: { couponId: coupon.id, status: 'PENDING' },
        select: { userId: true },
      }),
      this.prisma.couponRequest.aggregate({
        where: { couponId: coupon.id },
        _max: { sequence: true },
      }),
      this.prisma.userCoupon.findMany({ where: { couponId: coupon.id }, select: { userId: true } }),
    ]);
    const current = await this.find(coupon.id);
    return {
      remaining: (current?.remainingQuantity ?? 0) - pending.length,
      lastSequence: Number(last._max.sequence ?? 0),
      users: [...new Set([...pending, ...issuedUsers].map((r) => r.userId))],
    };
  }
}
