import { randomUUID } from 'node:crypto';
import { DomainError } from '@commerce/service';
import { type CouponStock, type Decision, decideInOrder } from './decide-in-order.ts';
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

/** Another batch took stock between this batch's read of it and its own take. */
class StockRace extends Error {
  override readonly name = 'StockRace';
}

/**
 * coupon-worker decides a batch of admitted requests at once: per coupon, holding the
 * locks of the batch's users on it (taken once), and all in one transaction. Requests
 * decided by an earlier delivery are left alone, the others are decided in admission order
 * as one at a time would (decideInOrder); then one statement each completes the log
 * rows, records the events as processed, writes the result events to the outbox,
 * takes the stock and creates the users' coupons. A refusal is a result too (FAILED with
 * its reason), not an error.
 *
 * The stock is read without a lock and taken at the end, by the conditional UPDATE that
 * cannot pass the total: the coupon's row is locked only from that UPDATE on, so the
 * batches of other partitions overlap all the rest. If another batch took stock in between
 * and too little is left, the transaction rolls back and runs again with the coupon's row
 * locked from the start.
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
    const decide = (lockFirst: boolean) =>
      deps.store.transaction((tx) => decideBatch(tx, coupons, now, lockFirst));
    const outcome = await decide(false).catch((err: unknown) => {
      if (err instanceof StockRace) return decide(true);
      throw err;
    });
    deps.afterCommit();
    return outcome;
  });
}

async function decideBatch(
  tx: IssuanceTx,
  coupons: [string, IssueRequest[]][],
  now: Date,
  lockFirst: boolean,
): Promise<BatchDecisions> {
  const couponIds = coupons.map(([couponId]) => couponId);
  const stock = lockFirst ? await tx.lockCoupons(couponIds) : await tx.readCoupons(couponIds);
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
  const taken = new Map<string, number>();
  for (const [couponId, group] of coupons) {
    const seen = new Set<string>();
    // One decision per request: a redelivered one (decided, or twice in this batch) is left alone.
    const open = group.filter(
      (r) => pending.get(r.requestId) && !seen.has(r.requestId) && seen.add(r.requestId),
    );
    if (open.length === 0) continue;
    const holders = await tx.holders(couponId, [...new Set(open.map((r) => r.userId))]);
    const decisions = decideInOrder(stock.get(couponId) ?? null, open, holders, now, randomUUID);
    taken.set(couponId, decisions.filter((d) => d.outcome.kind === 'issued').length);
    decided.push(...decisions);
  }
  await tx.markProcessed(all.map((r) => r.eventId));
  if (decided.length === 0) return { decided, redelivered: all.length };
  const completed = await tx.completeRequests(decided, now);
  if (completed !== decided.length)
    throw new Error(
      `completed ${completed} of ${decided.length} pending requests under their row locks`,
    );
  await tx.enqueue(decided.flatMap(({ request, outcome }) => resultEvents(request, outcome, now)));
  // The stock last but one: from here to the commit the coupon's row is locked. The users'
  // coupons come after it because their foreign key locks that row shared, and two batches
  // holding it shared could not both take it exclusively.
  await takeStock(tx, taken, stock, lockFirst);
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
  return { decided, redelivered: all.length - decided.length };
}

/** Takes each coupon's winners from its stock, last: the conditional UPDATE is the fence. */
async function takeStock(
  tx: IssuanceTx,
  taken: Map<string, number>,
  stock: Map<string, CouponStock>,
  locked: boolean,
) {
  for (const [couponId, count] of [...taken].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (count === 0 || (await tx.take(couponId, count))) continue;
    if (locked) throw new Error(`the stock of ${couponId} changed under its row lock`);
    throw new StockRace(`${couponId}: ${stock.get(couponId)?.remaining} read, less left`);
  }
}
