import type { CouponIssueFailureReason } from '@commerce/events';

/** Why a request gets no coupon (the contract's reasons: COUPON_NOT_FOUND, EXPIRED, …). */
export type FailureReason = CouponIssueFailureReason;

/** Ties the events a decision causes to the shopper's request (its correlation id and trace). */
export interface Trace {
  correlationId: string;
  traceparent?: string;
}

/** One admitted request, as coupon-api logged it and coupon-requests delivers it. */
export interface IssueRequest extends Trace {
  /** The CouponIssueRequested event's id: a redelivery carries the same one. */
  eventId: string;
  requestId: string;
  userId: string;
  couponId: string;
  /** The request's place in the coupon's queue (admission order). */
  sequence: number;
}

export type IssueOutcome =
  | { kind: 'issued'; userCouponId: string }
  | { kind: 'rejected'; reason: FailureReason };
