import type { CouponIssueFailed, CouponIssueSucceeded } from '@commerce/events';
import type { CouponRequest } from './model.ts';

/** A decided request, as shoppers receive it (over SSE, live or replayed). */
export interface CouponResult {
  requestId: string;
  couponId: string;
  userId: string;
  sequence: number;
  status: 'COMPLETED' | 'FAILED';
  reason: string | null;
  userCouponId: string | null;
  completedAt: string;
}

/** A decision, wherever it is read from: the worker's result event or the request log. */
export interface Decision {
  requestId: string;
  couponId: string;
  userId: string;
  sequence: number;
  reason: string | null;
  /** Set when a coupon was issued; the request FAILED otherwise. */
  userCouponId: string | null;
  completedAt: Date;
}

/** The one place a shopper's result is shaped. */
export function toCouponResult(decision: Decision): CouponResult {
  return {
    requestId: decision.requestId,
    couponId: decision.couponId,
    userId: decision.userId,
    sequence: decision.sequence,
    status: decision.userCouponId ? 'COMPLETED' : 'FAILED',
    reason: decision.reason,
    userCouponId: decision.userCouponId,
    completedAt: decision.completedAt.toISOString(),
  };
}

/** The result a CouponIssueSucceeded or CouponIssueFailed announces. */
export function resultOfEvent(event: CouponIssueSucceeded | CouponIssueFailed): CouponResult {
  return toCouponResult({
    ...event,
    reason: 'reason' in event ? event.reason : null,
    userCouponId: 'userCouponId' in event ? event.userCouponId : null,
    completedAt: new Date(event.occurredAt),
  });
}

/** The result of a decided request of the log (a replay after a reconnect). */
export function resultOfRequest(request: CouponRequest): CouponResult {
  return toCouponResult({ ...request, completedAt: request.completedAt ?? request.createdAt });
}

/** Gets results to the coupon-api instances that hold the shoppers' streams. */
export interface ResultBroadcast {
  publish(results: readonly CouponResult[]): Promise<unknown>;
}

/** The results broadcast to this instance, per user. */
export interface ResultFeed {
  /** Calls `listener` with each result of `userId`; returns the function that stops it. */
  listen(userId: string, listener: (result: CouponResult) => void): () => void;
}
