/**
 * The outcome of asking for a place in a coupon's queue. Places are given only while they
 * fit the stock, so every admitted request can be issued: an earlier place never loses to
 * a later one. The database stays the fence (coupon-worker); admission makes the rush fast.
 * `epoch` names the queue state that gave the place: the state is rebuilt from the request
 * log under a new epoch whenever it is lost, and the log refuses places of an older one.
 */
export type AdmissionResult =
  | { kind: 'admitted'; sequence: number; epoch: number }
  | { kind: 'duplicate' }
  | { kind: 'sold-out' };

/** What admission needs of a coupon: its id, and until when its queue is worth keeping. */
export interface AdmissionCoupon {
  id: string;
  validUntil: Date;
}

export interface Admission {
  /**
   * Gives the user the next place in the coupon's queue, once per user. A queue that is
   * missing (first request, or its state was lost), or older than `minEpoch`, is rebuilt
   * from the request log first.
   */
  admit(coupon: AdmissionCoupon, userId: string, minEpoch?: number): Promise<AdmissionResult>;
  /** Gives back the user's place (their request could not be logged). */
  release(couponId: string, userId: string): Promise<void>;
}
