import { sqlExecutor } from '@commerce/db';
import { enqueueEvents } from '@commerce/outbox';
import type { Pool, PoolConnection } from 'mariadb';
import {
  type PendingRequest,
  type RequestedEvent,
  type RequestLog,
  SupersededAdmission,
} from '../domain/request-log.ts';

interface PendingWrite {
  request: PendingRequest;
  event: RequestedEvent;
  resolve: () => void;
  reject: (err: unknown) => void;
}

const marks = (count: number, group: string) =>
  Array.from({ length: count }, () => group).join(', ');

/**
 * Writes admitted requests (PENDING rows and their CouponIssueRequested in the outbox) with
 * group commit: every request admitted in the same event-loop turn goes in one transaction,
 * so a rush pays one transaction per turn, not per request. The hot path of the rush, so it
 * runs plain SQL on the driver's pool: Prisma's query building cost more CPU than the rest
 * of the request (a CPU profile under load, docs/benchmarks.md).
 */
export function createPendingLog(pool: Pool): Pick<RequestLog, 'createPending'> {
  let waiting: PendingWrite[] = [];

  // The fence of admission epochs (see readAdmissionSnapshot): the coupons' admission rows
  // are read shared, so a rebuild waits for this write or this write sees its new epoch.
  const insert = async (conn: PoolConnection, batch: PendingWrite[]) => {
    const couponIds = [...new Set(batch.map((write) => write.request.couponId))];
    const rows: { couponId: string; epoch: number }[] = await conn.query(
      `SELECT coupon_id AS couponId, epoch FROM coupon_admissions
        WHERE coupon_id IN (${marks(couponIds.length, '?')}) LOCK IN SHARE MODE`,
      couponIds,
    );
    const epochs = new Map(rows.map((row) => [row.couponId, Number(row.epoch)]));
    const current: PendingWrite[] = [];
    const superseded: [PendingWrite, SupersededAdmission][] = [];
    for (const write of batch) {
      const { couponId, admissionEpoch } = write.request;
      const epoch = epochs.get(couponId) ?? 0;
      if (epoch === admissionEpoch) current.push(write);
      else superseded.push([write, new SupersededAdmission(couponId, epoch)]);
    }
    if (current.length > 0) {
      await conn.query(
        `INSERT INTO coupon_requests (request_id, coupon_id, user_id, sequence, idempotency_key)
         VALUES ${marks(current.length, '(?, ?, ?, ?, ?)')}`,
        current.flatMap(({ request }) => [
          request.requestId,
          request.couponId,
          request.userId,
          request.sequence,
          request.idempotencyKey ?? null,
        ]),
      );
      await enqueueEvents(
        sqlExecutor(conn),
        current.map((write) => write.event),
      );
    }
    return { current, superseded };
  };

  const insertPending = async (batch: PendingWrite[]) => {
    const conn = await pool.getConnection();
    try {
      await conn.beginTransaction();
      const written = await insert(conn, batch);
      await conn.commit();
      for (const write of written.current) write.resolve();
      for (const [write, err] of written.superseded) write.reject(err);
    } catch (err) {
      await conn.rollback().catch(() => undefined);
      throw err;
    } finally {
      await conn.release();
    }
  };

  const writeWaiting = async (): Promise<void> => {
    const batch = waiting;
    waiting = [];
    try {
      await insertPending(batch);
    } catch (err) {
      // One bad row (a reused Idempotency-Key) must not fail its neighbours: one by one.
      if (batch.length === 1) batch[0]?.reject(err);
      else for (const write of batch) insertPending([write]).catch(write.reject);
    }
  };

  return {
    createPending(request, event) {
      return new Promise((resolve, reject) => {
        if (waiting.length === 0) setImmediate(() => void writeWaiting());
        waiting.push({ request, event, resolve, reject });
      });
    },
  };
}
