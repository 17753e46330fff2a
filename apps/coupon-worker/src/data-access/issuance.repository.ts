import type { PrismaClient } from '@commerce/coupon-db';
import { recordProcessedEvent } from '@commerce/db';
import { consumerGroups } from '@commerce/events';
import { TransientError } from '@commerce/kafka';
import { enqueueEvents } from '@commerce/outbox';
import type { IssuanceStore, IssuanceTx } from '../domain/issuance-store.ts';

type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

/** The group whose processed events the transactions record (the consumer's own). */
const CONSUMER_GROUP = consumerGroups.couponWorker.groupId;

function issuanceTx(tx: Tx): IssuanceTx {
  return {
    markProcessed: (eventId) => recordProcessedEvent(tx, CONSUMER_GROUP, eventId),
    findCoupon: (couponId) => tx.coupon.findUnique({ where: { id: couponId } }),
    async hasCoupon(couponId, userId) {
      const found = await tx.userCoupon.findUnique({
        where: { couponId_userId: { couponId, userId } },
      });
      return found !== null;
    },
    async takeOne(couponId) {
      const taken = await tx.coupon.updateMany({
        where: { id: couponId, issuedQuantity: { lt: tx.coupon.fields.totalQuantity } },
        data: { issuedQuantity: { increment: 1 } },
      });
      return taken.count === 1;
    },
    async insertUserCoupon(userCoupon) {
      await tx.userCoupon.create({ data: userCoupon });
    },
    async completeRequest(requestId, outcome, completedAt) {
      const updated = await tx.couponRequest.updateMany({
        where: { requestId, status: 'PENDING' },
        data: {
          status: outcome.kind === 'issued' ? 'COMPLETED' : 'FAILED',
          reason: outcome.kind === 'rejected' ? outcome.reason : null,
          userCouponId: outcome.kind === 'issued' ? outcome.userCouponId : null,
          completedAt,
        },
      });
      return updated.count === 1;
    },
    enqueue: (events) => enqueueEvents(tx, events),
  };
}

function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && 'code' in err && err.code === 'P2002';
}

/** Issuance transactions on the coupon database (Prisma interactive transactions). */
export function createIssuanceStore(prisma: PrismaClient): IssuanceStore {
  return {
    async transaction(work) {
      try {
        return await prisma.$transaction((tx) => work(issuanceTx(tx)));
      } catch (err) {
        // Two deliveries of one user's requests racing past the lock: the unique index won.
        // Retrying re-reads the state and answers ALREADY_ISSUED.
        if (isUniqueViolation(err))
          throw new TransientError('concurrent issue for the same user; retrying', { cause: err });
        throw err;
      }
    },
  };
}
