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

/** Group-commit transactions running at once (each on its own pooled connection). */
const MAX_IN_FLIGHT = 2;

const marks = (count: number, group: string) =>
  Array.from({ length: count }, () => group).join(', ');

/**
 * Writes admitted requests (PENDING rows and their CouponIssueRequested in the outbox) with
 * group commit: the requests admitted while earlier transactions run go together in the
 * next one, so a rush pays one transaction per batch, not per request. The hot path of the rush, so it
 * runs plain SQL on the driver's pool: Prisma's query building cost more CPU than the rest
 * of the request (a CPU profile under load, docs/benchmarks.md).
 */
export function createPendingLog(pool: Pool): Pick<RequestLog, 'createPending'> {
  let waiting: PendingWrite[] = [];

  // The fence of admission epochs (see readAdmissionSnapshot): the coupons' admission rows
  // are read shared, so a rebuild waits for this write or this write sees its new epoch.
  // BEGIN and this read leave together (the driver pipelines a connection's commands): one
  // round trip, and nothing is written below unless both succeeded.
  const beginAndReadEpochs = async (conn: PoolConnection, batch: PendingWrite[]) => {
    const couponIds = [...new Set(batch.map((write) => write.request.couponId))];
    const [, rows] = await Promise.all([
      conn.beginTransaction(),
      conn.query<{ couponId: string; epoch: number }[]>(
        `SELECT coupon_id AS couponId, epoch FROM coupon_admissions
          WHERE coupon_id IN (${marks(couponIds.length, '?')}) LOCK IN SHARE MODE`,
        couponIds,
      ),
    ]);
    return new Map(rows.map((row) => [row.couponId, Number(row.epoch)]));
  };

  const insert = async (conn: PoolConnection, batch: PendingWrite[]) => {
    const epochs = await beginAndReadEpochs(conn, batch);
    const current: PendingWrite[] = [];
    const superseded: [PendingWrite, SupersededAdmission][] = [];
    for (const write of batch) {
      const { couponId, admissionEpoch } = write.request;
      const epoch = epochs.get(couponId) ?? 0;
      if (epoch === admissionEpoch) current.push(write);
      else superseded.push([write, new SupersededAdmission(couponId, epoch)]);
    }
    if (current.length > 0) {
      // Both INSERTs in one round trip too; the COMMIT waits for both to succeed.
      await Promise.all([
        conn.query(
          `INSERT INTO coupon_requests (request_id, coupon_id, user_id, sequence, idempotency_key)
           VALUES ${marks(current.length, '(?, ?, ?, ?, ?)')}`,
          current.flatMap(({ request }) => [
            request.requestId,
            request.couponId,
            request.userId,
            request.sequence,
            request.idempotencyKey ?? null,
          ]),
        ),
        enqueueEvents(
          sqlExecutor(conn),
          current.map((write) => write.event),
        ),
      ]);
    }
    return { current, superseded };
  };

  const insertPending = async (batch: PendingWrite[]) => {
    const conn = await pool.getConnection();
    try {
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

  const write = async (batch: PendingWrite[]): Promise<void> => {
    try {
      await insertPending(batch);
    } catch (err) {
      // One bad row (a reused Idempotency-Key) must not fail its neighbours: one by one.
      if (batch.length === 1) batch[0]?.reject(err);
      else for (const one of batch) await insertPending([one]).catch(one.reject);
    }
  };

  // At most MAX_IN_FLIGHT transactions at once: what is admitted while they run waits for
  // the next one, so the busier the rush, the more requests each transaction carries.
  let inFlight = 0;
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    if (waiting.length === 0 || inFlight >= MAX_IN_FLIGHT) return;
    const batch = waiting;
    waiting = [];
    inFlight++;
    void write(batch).finally(() => {
      inFlight--;
      schedule();
    });
  };
  const schedule = () => {
    if (scheduled || waiting.length === 0 || inFlight >= MAX_IN_FLIGHT) return;
    scheduled = true;
    setImmediate(flush);
  };

  return {
    createPending(request, event) {
      return new Promise((resolve, reject) => {
        waiting.push({ request, event, resolve, reject });
        schedule();
      });
    },
  };
}
