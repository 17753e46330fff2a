import type { PrismaClient } from '@commerce/coupon-db';
import { consumerGroups } from '@commerce/events';
import { driverErrorCode, TransientError } from '@commerce/kafka';
import { enqueueEvents } from '@commerce/outbox';
import type { IssuanceStore, IssuanceTx } from '../domain/issuance-store.ts';

type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

/** The group whose processed events the transactions record (the consumer's own). */
const CONSUMER_GROUP = consumerGroups.couponWorker.groupId;
/** A batch of a thousand decisions takes well under a second; the margin is for a busy server. */
const TRANSACTION_TIMEOUT_MS = 30_000;

const marks = (count: number, group = '?') => Array.from({ length: count }, () => group).join(', ');

function issuanceTx(tx: Tx): IssuanceTx {
  const coupons = async (couponIds: readonly string[], lock: '' | 'FOR UPDATE') => {
    const rows = await tx.$queryRawUnsafe<
      { id: string; validFrom: Date; validUntil: Date; remaining: bigint | number }[]
    >(
      `SELECT id, valid_from AS validFrom, valid_until AS validUntil,
              CAST(total_quantity AS SIGNED) - issued_quantity AS remaining
         FROM coupons WHERE id IN (${marks(couponIds.length)}) ORDER BY id ${lock}`,
      ...couponIds,
    );
    return new Map(rows.map((row) => [row.id, { ...row, remaining: Number(row.remaining) }]));
  };
  return {
    readCoupons: (couponIds) => coupons(couponIds, ''),
    lockCoupons: (couponIds) => coupons(couponIds, 'FOR UPDATE'),
    async lockRequests(requestIds) {
      const rows = await tx.$queryRawUnsafe<{ requestId: string; status: string }[]>(
        // By primary key only: a long IN list makes the optimizer scan the covering
        // (coupon_id, status) index instead, locking other batches' rows (deadlocks).
        `SELECT request_id AS requestId, status FROM coupon_requests FORCE INDEX (PRIMARY)
          WHERE request_id IN (${marks(requestIds.length)}) FOR UPDATE`,
        ...requestIds,
      );
      return new Map(rows.map((row) => [row.requestId, row.status === 'PENDING']));
    },
    async holders(couponId, userIds) {
      const rows = await tx.$queryRawUnsafe<{ userId: string }[]>(
        `SELECT user_id AS userId FROM user_coupons WHERE coupon_id = ? AND user_id IN (${marks(userIds.length)})`,
        couponId,
        ...userIds,
      );
      return new Set(rows.map((row) => row.userId));
    },
    async markProcessed(eventIds) {
      await tx.$executeRawUnsafe(
        `INSERT INTO processed_events (consumer_group, event_id) VALUES ${marks(eventIds.length, '(?, ?)')}
           ON DUPLICATE KEY UPDATE redeliveries = redeliveries + 1`,
        ...eventIds.flatMap((eventId) => [CONSUMER_GROUP, eventId]),
      );
    },
    async take(couponId, count) {
      const taken =
        await tx.$executeRaw`UPDATE coupons SET issued_quantity = issued_quantity + ${count}
        WHERE id = ${couponId} AND issued_quantity + ${count} <= total_quantity`;
      return taken === 1;
    },
    async insertUserCoupons(userCoupons) {
      if (userCoupons.length === 0) return;
      await tx.$executeRawUnsafe(
        `INSERT INTO user_coupons (id, coupon_id, user_id, request_id) VALUES ${marks(userCoupons.length, '(?, ?, ?, ?)')}`,
        ...userCoupons.flatMap((c) => [c.id, c.couponId, c.userId, c.requestId]),
      );
    },
    completeRequests(decisions, completedAt) {
      // One UPDATE for the batch: each column picks the row's value by its request id.
      const column = (value: (d: (typeof decisions)[number]) => string | null) => ({
        sql: `CASE request_id ${marks(decisions.length, 'WHEN ? THEN ?').replaceAll(',', '')} END`,
        values: decisions.flatMap((d) => [d.request.requestId, value(d)]),
      });
      const status = column((d) => (d.outcome.kind === 'issued' ? 'COMPLETED' : 'FAILED'));
      const reason = column((d) => (d.outcome.kind === 'rejected' ? d.outcome.reason : null));
      const userCoupon = column((d) =>
        d.outcome.kind === 'issued' ? d.outcome.userCouponId : null,
      );
      return tx.$executeRawUnsafe(
        `UPDATE coupon_requests FORCE INDEX (PRIMARY) SET status = ${status.sql}, reason = ${reason.sql},
                user_coupon_id = ${userCoupon.sql}, completed_at = ?
          WHERE request_id IN (${marks(decisions.length)}) AND status = 'PENDING'`,
        ...status.values,
        ...reason.values,
        ...userCoupon.values,
        completedAt,
        ...decisions.map((d) => d.request.requestId),
      );
    },
    enqueue: (events) => enqueueEvents(tx, events),
  };
}

/** The unique index refused a row: Prisma's own code, or the server's 1062 under a raw query. */
function isUniqueViolation(err: unknown): boolean {
  return (err as { code?: unknown })?.code === 'P2002' || driverErrorCode(err) === '1062';
}

/**
 * Issuance transactions on the coupon database (Prisma interactive transactions). READ
 * COMMITTED: each statement reads what other batches committed before it (no snapshot older
 * than a lock, no gap locks); the conditional stock UPDATE and the unique index are the fences.
 */
export function createIssuanceStore(prisma: PrismaClient): IssuanceStore {
  return {
    async transaction(work) {
      try {
        return await prisma.$transaction((tx) => work(issuanceTx(tx)), {
          isolationLevel: 'ReadCommitted',
          timeout: TRANSACTION_TIMEOUT_MS,
        });
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
