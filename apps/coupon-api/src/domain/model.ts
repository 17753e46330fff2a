import type { CouponIssueFailureReason } from '@commerce/events';

/** What coupon-api's use cases read and write. */

export interface NewCoupon {
  id: string;
  name: string;
  discountType: 'AMOUNT' | 'PERCENT';
  discountValue: number;
  totalQuantity: number;
  validFrom: Date;
  validUntil: Date;
}

export interface Coupon extends NewCoupon {
  issuedQuantity: number;
  remainingQuantity: number;
  createdAt: Date;
}

/** PENDING once admitted; COMPLETED or FAILED once the worker decided; NOTIFIED once pushed. */
export type RequestStatus = 'PENDING' | 'COMPLETED' | 'FAILED' | 'NOTIFIED';

/** A shopper's request for a coupon, as the request log holds it. */
export interface CouponRequest {
  requestId: string;
  couponId: string;
  userId: string;
  /** Its place in the coupon's queue (admission order). */
  sequence: number;
  status: RequestStatus;
  reason: CouponIssueFailureReason | null;
  userCouponId: string | null;
  createdAt: Date;
  completedAt: Date | null;
}

export interface UserCoupon {
  id: string;
  couponId: string;
  requestId: string;
  issuedAt: Date;
}

/** Ties the events a request causes to that request (its X-Request-Id and trace). */
export interface Trace {
  correlationId: string;
  traceparent?: string;
}
