import type { CouponWindow } from './eligibility.ts';
import type { IssueOutcome } from './model.ts';
import type { ResultEvent } from './result-events.ts';

/** What deciding one request may do inside its database transaction. */
export interface IssuanceTx {
  /** Records the request's event as processed; false when it already was (a redelivery). */
  markProcessed(eventId: string): Promise<boolean>;
  findCoupon(couponId: string): Promise<CouponWindow | null>;
  hasCoupon(couponId: string, userId: string): Promise<boolean>;
  /**
   * Takes one coupon of the stock with a conditional UPDATE that cannot pass the total (the
   * fence against oversell); false when every coupon is issued. The coupon's row stays
   * locked until the transaction ends.
   */
  takeOne(couponId: string): Promise<boolean>;
  /** The user's coupon; unique per user and coupon (the fence against issuing twice). */
  insertUserCoupon(userCoupon: {
    id: string;
    couponId: string;
    userId: string;
    requestId: string;
  }): Promise<void>;
  /** Completes the request's PENDING log row with the outcome; false when there is none. */
  completeRequest(requestId: string, outcome: IssueOutcome, completedAt: Date): Promise<boolean>;
  /** Records events in the outbox: they reach Kafka if and only if the transaction commits. */
  enqueue(events: readonly ResultEvent[]): Promise<void>;
}

export interface IssuanceStore {
  /**
   * Runs `work` in one transaction: committed when it returns, rolled back when it throws.
   * Two transactions racing past the user's lock meet at the unique index: the loser fails
   * as a transient error, and its retry reads the winner's coupon.
   */
  transaction<T>(work: (tx: IssuanceTx) => Promise<T>): Promise<T>;
}

export interface UserLocks {
  /**
   * Runs `work` holding the lock of one user on one coupon, so two deliveries of that user's
   * requests do not work at once; fails as a transient error while another holds it.
   */
  holding<T>(couponId: string, userId: string, work: () => Promise<T>): Promise<T>;
}
