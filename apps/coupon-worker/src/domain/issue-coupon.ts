import { randomUUID } from 'node:crypto';
import { DomainError } from '@commerce/service';
import { windowRejection } from './eligibility.ts';
import type { IssuanceStore, IssuanceTx, UserLocks } from './issuance-store.ts';
import type { IssueOutcome, IssueRequest } from './model.ts';
import { resultEvents } from './result-events.ts';

export interface IssueCouponDeps {
  store: IssuanceStore;
  locks: UserLocks;
  now: () => Date;
  /** Runs after each committed decision (wakes the outbox relay so the result leaves now). */
  afterCommit: () => void;
}

/**
 * coupon-worker decides an admitted request, holding the user's lock on the coupon, all in
 * one transaction: the event is recorded as processed, the coupon must exist and be open,
 * the user must not have it yet, one coupon is taken from the stock, the user's coupon
 * created, the request's log row completed and the result events written to the outbox.
 * A refusal is a result too (FAILED with its reason), not an error. Returns null for a
 * redelivered request: its decision and events were committed the first time.
 */
export async function issueCoupon(
  deps: IssueCouponDeps,
  request: IssueRequest,
): Promise<IssueOutcome | null> {
  return deps.locks.holding(request.couponId, request.userId, async () => {
    const now = deps.now();
    const outcome = await deps.store.transaction(async (tx) => {
      if (!(await tx.markProcessed(request.eventId))) return null;
      const decided = await decide(tx, request, now);
      if (!(await tx.completeRequest(request.requestId, decided, now))) {
        // Retrying cannot create the log row: the request goes to the dead-letter topic.
        throw new DomainError(
          'UNKNOWN_REQUEST',
          `request ${request.requestId} is not a pending request of the log`,
        );
      }
      await tx.enqueue(resultEvents(request, decided, now));
      return decided;
    });
    deps.afterCommit();
    return outcome;
  });
}

async function decide(tx: IssuanceTx, request: IssueRequest, now: Date): Promise<IssueOutcome> {
  const rejection =
    windowRejection(await tx.findCoupon(request.couponId), now) ??
    ((await tx.hasCoupon(request.couponId, request.userId)) ? 'ALREADY_ISSUED' : null);
  if (rejection) return { kind: 'rejected', reason: rejection };
  if (!(await tx.takeOne(request.couponId))) return { kind: 'rejected', reason: 'OUT_OF_STOCK' };
  const userCouponId = randomUUID();
  await tx.insertUserCoupon({
    id: userCouponId,
    couponId: request.couponId,
    userId: request.userId,
    requestId: request.requestId,
  });
  return { kind: 'issued', userCouponId };
}
