import type { PrismaClient, CouponRequest as RequestRow } from '@commerce/coupon-db';
import type { CouponRequest } from '../domain/model.ts';
import type { RequestLog } from '../domain/request-log.ts';

const toRequest = (row: RequestRow): CouponRequest => ({
  requestId: row.requestId,
  couponId: row.couponId,
  userId: row.userId,
  sequence: Number(row.sequence),
  status: row.status,
  reason: row.reason,
  userCouponId: row.userCouponId,
  createdAt: row.createdAt,
  completedAt: row.completedAt,
});

/** Replayed results per reconnect, at most (a client far behind polls the rest). */
const REPLAY_LIMIT = 500;

/** The request log in the coupon database; admitted requests are written by `pendingLog`. */
export function createRequestLog(
  prisma: PrismaClient,
  pendingLog: Pick<RequestLog, 'createPending'>,
): RequestLog {
  return {
    ...pendingLog,
    async find(requestId) {
      const row = await prisma.couponRequest.findUnique({ where: { requestId } });
      return row && toRequest(row);
    },
    async findByIdempotencyKey(userId, idempotencyKey) {
      const row = await prisma.couponRequest.findUnique({
        where: { userId_idempotencyKey: { userId, idempotencyKey } },
      });
      return row && toRequest(row);
    },
    async resultsAfter(userId, lastRequestId) {
      const last = await prisma.couponRequest.findUnique({ where: { requestId: lastRequestId } });
      const rows = await prisma.couponRequest.findMany({
        where: {
          userId,
          completedAt: last?.completedAt ? { gte: last.completedAt } : { not: null },
          requestId: { not: lastRequestId },
        },
        orderBy: [{ completedAt: 'asc' }, { requestId: 'asc' }],
        take: REPLAY_LIMIT,
      });
      return rows.map(toRequest);
    },
    async markNotified(requestIds) {
      if (requestIds.length === 0) return;
      // By primary key only, as coupon-worker's batch updates: a long IN list could make the
      // optimizer scan the (coupon_id, status) index and lock rows of other batches.
      await prisma.$executeRawUnsafe(
        `UPDATE coupon_requests FORCE INDEX (PRIMARY) SET status = 'NOTIFIED', notified_at = ?
          WHERE request_id IN (${requestIds.map(() => '?').join(', ')}) AND status IN ('COMPLETED', 'FAILED')`,
        new Date(),
        ...requestIds,
      );
    },
    userCoupons: (userId) =>
      prisma.userCoupon.findMany({
        where: { userId },
        orderBy: { issuedAt: 'asc' },
        select: { id: true, couponId: true, requestId: true, issuedAt: true },
      }),
  };
}
