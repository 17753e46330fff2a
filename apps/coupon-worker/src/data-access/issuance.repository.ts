import { randomUUID } from 'node:crypto';
import type { FailureReason, PrismaClient } from '@commerce/coupon-db';
import { recordProcessedEvent } from '@commerce/db';
import { PermanentError, TransientError } from '@commerce/kafka';
import { enqueueEvents } from '@commerce/outbox';
import { windowRejection } from '../domain/eligibility.ts';
import { type IssueOutcome, type IssueRequest, resultEvents } from '../domain/result-events.ts';

export const CONSUMER_GROUP = 'coupon-worker';

type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

/**
 * Decides one request in one transaction: the event is recorded as processed, the stock
 * taken with a conditional UPDATE that cannot pass the total, the user's coupon created
 * (unique per user and coupon), the request's log row completed, and the result events
 * written to the outbox. Returns null for a redelivered request: its decision and result
 * events were committed the first time, so nothing changes.
 */
export async function issueOnce(
  prisma: PrismaClient,
  request: IssueRequest,
  now: Date,
): Promise<IssueOutcome | null> {
  try {
    return await prisma.$transaction(async (tx) => {
      if (!(await recordProcessedEvent(tx, CONSUMER_GROUP, request.eventId))) return null;
      const outcome = await decide(tx, request, now);
      const updated = await tx.couponRequest.updateMany({
        where: { requestId: request.requestId, status: 'PENDING' },
        data: {
          status: outcome.kind === 'issued' ? 'COMPLETED' : 'FAILED',
          reason: outcome.kind === 'rejected' ? outcome.reason : null,
          userCouponId: outcome.kind === 'issued' ? outcome.userCouponId : null,
          completedAt: now,
        },
      });
      if (updated.count !== 1) {
        throw new PermanentError(
          'UNKNOWN_REQUEST',
          `request ${request.requestId} is not a pending request of the log`,
        );
      }
      await enqueueEvents(tx, resultEvents(request, outcome, now));
      return outcome;
    });
  } catch (err) {
    // Two deliveries of one user's requests racing past the lock: the unique index won.
    // Retrying re-reads the state and answers ALREADY_ISSUED.
    if (isUniqueViolation(err))
      throw new TransientError('concurrent issue for the same user; retrying', { cause: err });
    throw err;
  }
}

async function decide(tx: Tx, request: IssueRequest, now: Date): Promise<IssueOutcome> {
  const coupon = await tx.coupon.findUnique({ where: { id: request.couponId } });
  const rejection: FailureReason | null =
    windowRejection(coupon, now) ??
    ((await tx.userCoupon.findUnique({
      where: { couponId_userId: { couponId: request.couponId, userId: request.userId } },
    }))
      ? 'ALREADY_ISSUED'
      : null);
  if (rejection) return { kind: 'rejected', reason: rejection };

  const taken = await tx.coupon.updateMany({
    where: { id: request.couponId, issuedQuantity: { lt: tx.coupon.fields.totalQuantity } },
    data: { issuedQuantity: { increment: 1 } },
  });
  if (taken.count === 0) return { kind: 'rejected', reason: 'OUT_OF_STOCK' };

  const userCouponId = randomUUID();
  await tx.userCoupon.create({
    data: {
      id: userCouponId,
      couponId: request.couponId,
      userId: request.userId,
      requestId: request.requestId,
    },
  });
  return { kind: 'issued', userCouponId };
}

function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && 'code' in err && err.code === 'P2002';
}
