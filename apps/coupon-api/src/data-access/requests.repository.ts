import type { PrismaClient, CouponRequest as RequestRow } from '@commerce/coupon-db';
import { enqueueEvents } from '@commerce/outbox';
import type { CouponRequest } from '../domain/model.ts';
import {
  type PendingRequest,
  type RequestedEvent,
  type RequestLog,
  SupersededAdmission,
} from '../domain/request-log.ts';

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

interface PendingWrite {
  request: PendingRequest;
  event: RequestedEvent;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/** Replayed results per reconnect, at most (a client far behind polls the rest). */
const REPLAY_LIMIT = 500;

/** The request log in the coupon database. */
export function createRequestLog(prisma: PrismaClient): RequestLog {
  let waiting: PendingWrite[] = [];

  // The fence of admission epochs (see readAdmissionSnapshot): the coupons' admission rows
  // are read shared, so a rebuild waits for this write or this write sees its new epoch.
  const insertPending = (batch: PendingWrite[]): Promise<PendingWrite[]> =>
    prisma.$transaction(async (tx) => {
      const couponIds = [...new Set(batch.map((write) => write.request.couponId))];
      const epochs = new Map(
        (
          await tx.$queryRawUnsafe<{ couponId: string; epoch: number }[]>(
            `SELECT coupon_id AS couponId, epoch FROM coupon_admissions WHERE coupon_id IN (${couponIds.map(() => '?').join(', ')}) LOCK IN SHARE MODE`,
            ...couponIds,
          )
        ).map((row) => [row.couponId, Number(row.epoch)]),
      );
      const current = batch.filter(
        ({ request }) => epochs.get(request.couponId) === request.admissionEpoch,
      );
      for (const write of batch.filter((w) => !current.includes(w))) {
        const epoch = epochs.get(write.request.couponId) ?? 0;
        write.reject(new SupersededAdmission(write.request.couponId, epoch));
      }
      if (current.length === 0) return current;
      await tx.couponRequest.createMany({
        data: current.map(({ request }) => ({
          requestId: request.requestId,
          couponId: request.couponId,
          userId: request.userId,
          sequence: BigInt(request.sequence),
          idempotencyKey: request.idempotencyKey ?? null,
        })),
      });
      await enqueueEvents(
        tx,
        current.map((write) => write.event),
      );
      return current;
    });

  const writeWaiting = async (): Promise<void> => {
    const batch = waiting;
    waiting = [];
    try {
      for (const write of await insertPending(batch)) write.resolve();
    } catch (err) {
      // One bad row (a reused Idempotency-Key) must not fail its neighbours: one by one.
      if (batch.length === 1) batch[0]?.reject(err);
      else
        for (const write of batch)
          insertPending([write]).then(
            (written) => written.length > 0 && write.resolve(),
            write.reject,
          );
    }
  };

  return {
    // Group commit: the rows and events of every request admitted in the same event-loop
    // turn go in one transaction, so a rush pays one transaction per turn, not per request.
    createPending(request, event) {
      return new Promise((resolve, reject) => {
        if (waiting.length === 0) setImmediate(() => void writeWaiting());
        waiting.push({ request, event, resolve, reject });
      });
    },
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
      await prisma.couponRequest.updateMany({
        where: { requestId: { in: [...requestIds] }, status: { in: ['COMPLETED', 'FAILED'] } },
        data: { status: 'NOTIFIED', notifiedAt: new Date() },
      });
    },
    userCoupons: (userId) =>
      prisma.userCoupon.findMany({
        where: { userId },
        orderBy: { issuedAt: 'asc' },
        select: { id: true, couponId: true, requestId: true, issuedAt: true },
      }),
  };
}
