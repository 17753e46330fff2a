import { randomUUID } from 'node:crypto';
import { DomainError } from '@commerce/service';
import { type Decision, decideInOrder } from './decide-in-order.ts';
import type { IssuanceStore, IssuanceTx, UserLocks } from './issuance-store.ts';
import type { IssueRequest } from './model.ts';
import { resultEvents } from './result-events.ts';

export interface IssueCouponsDeps {
  store: IssuanceStore;
  locks: UserLocks;
  now: () => Date;
  /** Runs after each committed batch (wakes the outbox relay so the results leave now). */
  afterCommit: () => void;
}

export interface BatchDecisions {
  decided: Decision[];
  /** Requests decided by an earlier delivery: nothing done for them again. */
  redelivered: number;
}

/**
 * coupon-worker decides a batch of admitted requests at once: per coupon, holding the
 * locks of the batch's users on it (taken once), and all in one transaction. The coupons'
 * rows are locked, requests decided by an earlier delivery are left alone, the others are
 * decided in admission order as one at a time would (decideInOrder); then one statement
 * each takes the stock, creates the users' coupons, completes the log rows, records the
 * events as processed and writes the result events to the outbox. A refusal is a result
 * too (FAILED with its reason), not an error.
 */
export async function issueCoupons(
  deps: IssueCouponsDeps,
  requests: readonly IssueRequest[],
): Promise<BatchDecisions> {
  const byCoupon = new Map<string, IssueRequest[]>();
  for (const request of requests)
    byCoupon.set(request.couponId, [...(byCoupon.get(request.couponId) ?? []), request]);
  const coupons = [...byCoupon.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
  const holdAll = (index: number, work: () => Promise<BatchDecisions>): Promise<BatchDecisions> => {
    const entry = coupons[index];
    if (!entry) return work();
    const [couponId, group] = entry;
    return deps.locks.holding(couponId, [...new Set(group.map((r) => r.userId))], () =>
      holdAll(index + 1, work),
    );
  };
  return holdAll(0, async () => {
    const now = deps.now();
    const outcome = await deps.store.transaction((tx) => decideBatch(tx, coupons, now));
    deps.afterCommit();
    return outcome;
  });
}

async function decideBatch(
  tx: IssuanceTx,
  coupons: [string, IssueRequest[]][],
  now: Date,
): Promise<BatchDecisions> {
  const stock = await tx.lockCoupons(coupons.map(([couponId]) => couponId));
  const all = coupons.flatMap(([, group]) => group);
  const pending = await tx.lockRequests([...new Set(all.map((r) => r.requestId))]);
  const unknown = all.find((r) => !pending.has(r.requestId));
  if (unknown) {
    // Retrying cannot create the log row: the request goes to the dead-letter topic.
    throw new DomainError(
      'UNKNOWN_REQUEST',
      `request ${unknown.requestId} is not a pending request of the log`,
    );
  }
  const decided: Decision[] = [];
  for (const [couponId, group] of coupons) {
    const seen = new Set<string>();
    // One decision per request: a redelivered one (decided, or twice in this batch) is left alone.
    const open = group.filter(
      (r) => pending.get(r.requestId) && !seen.has(r.requestId) && seen.add(r.requestId),
    );
    if (open.length === 0) continue;
    const holders = await tx.holders(couponId, [...new Set(open.map((r) => r.userId))]);
    const decisions = decideInOrder(stock.get(couponId) ?? null, open, holders, now, randomUUID);
    const issued = decisions.filter((d) => d.outcome.kind === 'issued').length;
    if (issued > 0 && !(await tx.take(couponId, issued)))
      throw new Error(`the stock of ${couponId} changed under its row lock`);
    decided.push(...decisions);
  }
  await tx.markProcessed(all.map((r) => r.eventId));
  if (decided.length === 0) return { decided, redelivered: all.length };
  await tx.insertUserCoupons(
    decided.flatMap(({ request, outcome }) =>
      outcome.kind === 'issued'
        ? [
            {
              id: outcome.userCouponId,
              couponId: request.couponId,
              userId: request.userId,
              requestId: request.requestId,
            },
          ]
        : [],
    ),
  );
  const completed = await tx.completeRequests(decided, now);
  if (completed !== decided.length)
    throw new Error(
      `completed ${completed} of ${decided.length} pending requests under their row locks`,
    );
  await tx.enqueue(decided.flatMap(({ request, outcome }) => resultEvents(request, outcome, now)));
  return { decided, redelivered: all.length - decided.length };
}
