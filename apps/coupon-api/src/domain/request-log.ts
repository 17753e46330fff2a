import type { CouponIssueRequested } from '@commerce/events';
import type { CouponRequest, Trace, UserCoupon } from './model.ts';

/** A request admitted to a coupon's queue, before the worker decides it. */
export interface PendingRequest {
  requestId: string;
  couponId: string;
  userId: string;
  sequence: number;
  /** The admission epoch that gave the place (see AdmissionResult). */
  admissionEpoch: number;
  idempotencyKey?: string;
}

/**
 * The request log refused a place given by a queue state that has since been rebuilt (its
 * epoch is older than the log's): the place may be given again by the current state.
 */
export class SupersededAdmission extends Error {
  override readonly name = 'SupersededAdmission';
  readonly couponId: string;
  /** The log's current epoch: ask the queue for a place of this epoch or newer. */
  readonly currentEpoch: number;
  constructor(couponId: string, currentEpoch: number) {
    super(`the queue of coupon ${couponId} was rebuilt (epoch ${currentEpoch})`);
    this.couponId = couponId;
    this.currentEpoch = currentEpoch;
  }
}

/** CouponIssueRequested as the outbox stores it, for the relay to publish. */
export interface RequestedEvent extends Trace {
  topic: string;
  key: string;
  type: 'CouponIssueRequested';
  payload: CouponIssueRequested;
}

/** The event log of coupon requests (one row per admitted request). */
export interface RequestLog {
  /**
   * Logs the request PENDING and records its event in the outbox, in one transaction:
   * both or neither. Resolves once committed; rejects with SupersededAdmission (nothing
   * written) when the place's admission epoch is no longer the coupon's.
   */
  createPending(request: PendingRequest, event: RequestedEvent): Promise<void>;
  find(requestId: string): Promise<CouponRequest | null>;
  findByIdempotencyKey(userId: string, idempotencyKey: string): Promise<CouponRequest | null>;
  /**
   * The user's decided requests after `lastRequestId` (by completion time), for a client
   * that reconnects with Last-Event-ID. Ties on the millisecond are all returned but the
   * last one itself; callers deduplicate by request id.
   */
  resultsAfter(userId: string, lastRequestId: string): Promise<CouponRequest[]>;
  /** COMPLETED/FAILED → NOTIFIED, in one statement; a no-op for requests already notified. */
  markNotified(requestIds: readonly string[]): Promise<void>;
  userCoupons(userId: string): Promise<UserCoupon[]>;
}
