import { type CouponWindow, windowRejection } from './eligibility.ts';
import type { IssueOutcome, IssueRequest } from './model.ts';

/** A coupon as a batch finds it, its row locked: its window and the coupons left. */
export interface CouponStock extends CouponWindow {
  remaining: number;
}

export interface Decision {
  request: IssueRequest;
  outcome: IssueOutcome;
}

/**
 * Decides the pending requests of one coupon in admission order (sequence), the way they
 * would be decided one at a time: a closed or unknown coupon refuses them all; a user who
 * holds the coupon, or won it earlier in this batch, is refused as ALREADY_ISSUED; the
 * others win while stock is left, then are refused as OUT_OF_STOCK.
 */
export function decideInOrder(
  coupon: CouponStock | null,
  requests: readonly IssueRequest[],
  holders: ReadonlySet<string>,
  now: Date,
  newUserCouponId: () => string,
): Decision[] {
  const closed = windowRejection(coupon, now);
  const holding = new Set(holders);
  let remaining = coupon?.remaining ?? 0;
  return [...requests]
    .sort((a, b) => a.sequence - b.sequence)
    .map((request): Decision => {
      if (closed) return { request, outcome: { kind: 'rejected', reason: closed } };
      if (holding.has(request.userId))
        return { request, outcome: { kind: 'rejected', reason: 'ALREADY_ISSUED' } };
      if (remaining <= 0) return { request, outcome: { kind: 'rejected', reason: 'OUT_OF_STOCK' } };
      remaining--;
      holding.add(request.userId);
      return { request, outcome: { kind: 'issued', userCouponId: newUserCouponId() } };
    });
}
