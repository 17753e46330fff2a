import type { CouponRequest, PrismaClient } from '@commerce/coupon-db';
import type { OutgoingEvent } from '@commerce/kafka';
import { enqueueEvents } from '@commerce/outbox';

export interface RequestView {
  requestId: string;
  couponId: string;
  userId: string;
  sequence: number;
  status: CouponRequest['status'];
  reason: CouponRequest['reason'];
  userCouponId: string | null;
  createdAt: Date;
  completedAt: Date | null;
}

const toView = (row: CouponRequest): RequestView => ({
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

export interface PendingRow {
  requestId: string;
  couponId: string;
  userId: string;
  sequence: number;
  idempotencyKey?: string;
}

interface PendingWrite {
  row: PendingRow;
  event: OutgoingEvent;
  resolve: () => void;
  reject: (err: unknown) => void;
}

export class RequestsRepository {
  private readonly prisma: PrismaClient;
  private waiting: PendingWrite[] = [];

  constructor(prisma: PrismaClient) {
    this.prisma = prisma;
  }

  /**
   * The PENDING log row and its CouponIssueRequested, in one transaction with those of the
   * other requests admitted in the same event-loop turn (group commit): a rush pays one
   * transaction per turn, not one per request. Resolves once committed.
   */
  createPending(row: PendingRow, event: OutgoingEvent): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.waiting.length === 0) setImmediate(() => void this.writeWaiting());
      this.waiting.push({ row, event, resolve, reject });
    });
  }

  private async writeWaiting(): Promise<void> {
    const batch = this.waiting;
    this.waiting = [];
    try {
      await this.insertPending(batch);
      for (const write of batch) write.resolve();
    } catch (err) {
      // One bad row (a reused Idempotency-Key) must not fail its neighbours: one by one.
      if (batch.length === 1) batch[0]?.reject(err);
      else for (const write of batch) this.insertPending([write]).then(write.resolve, write.reject);
    }
  }

  private insertPending(batch: PendingWrite[]): Promise<void> {
    return this.prisma.$transaction(async (tx) => {
      await tx.couponRequest.createMany({
        data: batch.map(({ row }) => ({ ...row, sequence: BigInt(row.sequence) })),
      });
      await enqueueEvents(
        tx,
        batch.map((write) => write.event),
      );
    });
  }

  async find(requestId: string): Promise<RequestView | null> {
    const row = await this.prisma.couponRequest.findUnique({ where: { requestId } });
    return row && toView(row);
  }

  async findByIdempotencyKey(userId: string, idempotencyKey: string): Promise<RequestView | null> {
    const row = await this.prisma.couponRequest.findUnique({
      where: { userId_idempotencyKey: { userId, idempotencyKey } },
    });
    return row && toView(row);
  }

  /**
   * The user's decided requests after `lastRequestId` (by completion time), for a client
   * that reconnects with Last-Event-ID. Ties on the millisecond are all returned but the
   * last one itself; clients deduplicate by request id.
   */
  async resultsAfter(userId: string, lastRequestId: string, limit = 500): Promise<RequestView[]> {
    const last = await this.prisma.couponRequest.findUnique({
      where: { requestId: lastRequestId },
    });
    const rows = await this.prisma.couponRequest.findMany({
      where: {
        userId,
        completedAt: last?.completedAt ? { gte: last.completedAt } : { not: null },
        requestId: { not: lastRequestId },
      },
      orderBy: [{ completedAt: 'asc' }, { requestId: 'asc' }],
      take: limit,
    });
    return rows.map(toView);
  }

  /** COMPLETED/FAILED → NOTIFIED; a no-op for a row already notified. */
  async markNotified(requestId: string): Promise<void> {
    await this.prisma.couponRequest.updateMany({
      where: { requestId, status: { in: ['COMPLETED', 'FAILED'] } },
      data: { status: 'NOTIFIED', notifiedAt: new Date() },
    });
  }

  async userCoupons(userId: string) {
    return this.prisma.userCoupon.findMany({
      where: { userId },
      orderBy: { issuedAt: 'asc' },
      select: { id: true, couponId: true, requestId: true, issuedAt: true },
    });
  }
}
