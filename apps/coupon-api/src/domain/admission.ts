/**
 * The outcome of asking for a place in a coupon's queue. Places are given only while they
 * fit the stock, so every admitted request can be issued: an earlier place never loses to
 * a later one. The database stays the fence (coupon-worker); admission makes the rush fast.
 */
export type AdmissionResult =
  | { kind: 'admitted'; sequence: number }
  | { kind: 'duplicate' }
  | { kind: 'sold-out' };

export interface Admission {
  /**
   * Gives the user the next place in the coupon's queue, once per user. A queue that is
   * missing (first request, or its state was lost) is rebuilt from the request log first.
   */
  admit(couponId: string, userId: string): Promise<AdmissionResult>;
  /** Gives back the user's place (their request could not be logged). */
  release(couponId: string, userId: string): Promise<void>;
}
