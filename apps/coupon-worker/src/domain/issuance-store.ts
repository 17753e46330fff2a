import type { CouponStock, Decision } from './decide-in-order.ts';
import type { ResultEvent } from './result-events.ts';

/** A user's new coupon: unique per user and coupon (the fence against issuing twice). */
export interface NewUserCoupon {
  id: string;
  couponId: string;
  userId: string;
  requestId: string;
}

/** What deciding a batch may do inside its database transaction (set-based: one statement each). */
export interface IssuanceTx {
  /** Reads the coupons' windows and stock, without a lock; unknown ones are absent. */
  readCoupons(couponIds: readonly string[]): Promise<Map<string, CouponStock>>;
  /** Locks the coupons' rows until the transaction ends and reads them; unknown ones are absent. */
  lockCoupons(couponIds: readonly string[]): Promise<Map<string, CouponStock>>;
  /** Locks the requests' log rows; true for those still PENDING, false once decided, absent when not logged. */
  lockRequests(requestIds: readonly string[]): Promise<Map<string, boolean>>;
  /** The users among `userIds` who hold the coupon already. */
  holders(couponId: string, userIds: readonly string[]): Promise<Set<string>>;
  /** Records the events as processed by this group (a redelivery counts as one more delivery). */
  markProcessed(eventIds: readonly string[]): Promise<void>;
  /**
   * Takes `count` coupons of the stock with a conditional UPDATE that cannot pass the total
   * (the fence against oversell); false when fewer are left.
   */
  take(couponId: string, count: number): Promise<boolean>;
  insertUserCoupons(userCoupons: readonly NewUserCoupon[]): Promise<void>;
  /** Completes the PENDING log rows with their outcomes; returns how many it completed. */
  completeRequests(decisions: readonly Decision[], completedAt: Date): Promise<number>;
  /** Records events in the outbox: they reach Kafka if and only if the transaction commits. */
  enqueue(events: readonly ResultEvent[]): Promise<void>;
}

export interface IssuanceStore {
  /**
   * Runs `work` in one transaction: committed when it returns, rolled back when it throws.
   * Two transactions racing past the locks meet at the coupon's row lock and the unique
   * index: the loser fails as a transient error, and its retry reads the winner's coupons.
   */
  transaction<T>(work: (tx: IssuanceTx) => Promise<T>): Promise<T>;
}

export interface UserLocks {
  /**
   * Runs `work` holding the locks of these users on one coupon (taken together, once), so
   * two deliveries of one user's requests do not work at once; fails as a transient error
   * while another holds any of them.
   */
  holding<T>(couponId: string, userIds: readonly string[], work: () => Promise<T>): Promise<T>;
}
