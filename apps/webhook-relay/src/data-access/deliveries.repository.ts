import type { DeliveryStore, EndpointStats } from '../domain/delivery-reader.ts';
import type { Delivery, DeliveryStatus } from '../domain/model.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import type { PrismaClient } from './webhook-db.ts';

const withRelations = {
  message: { select: { eventType: true } },
  attemptRows: { orderBy: { id: 'asc' } },
} as const;

type DeliveryRow = Prisma.DeliveryGetPayload<{ include: typeof withRelations }>;

function toDelivery(row: DeliveryRow): Delivery {
  return {
    id: row.id,
    endpointId: row.endpointId,
    messageId: row.messageId,
    eventType: row.message.eventType,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.status === 'IN_PROGRESS' ? null : row.nextAttemptAt,
    lastStatusCode: row.lastStatusCode,
    lastError: row.lastError,
    completedAt: row.completedAt,
    createdAt: row.createdAt,
    attemptLog: row.attemptRows.map((a) => ({
      attemptNo: a.attemptNo,
      dueAt: a.dueAt,
      startedAt: a.startedAt,
      statusCode: a.statusCode,
      latencyMs: a.latencyMs,
      outcome: a.outcome,
      error: a.error,
      responseBody: a.responseBody,
    })),
  };
}

const replayable: DeliveryStatus[] = ['COMPLETED', 'DEAD_LETTER'];

/** Operator reads and replays through Prisma (the hot path uses the driver pool). */
export function createDeliveryStore(prisma: PrismaClient): DeliveryStore {
  return {
    async list(filter) {
      const rows = await prisma.delivery.findMany({
        where: {
          ...(filter.status ? { status: filter.status } : {}),
          ...(filter.endpointId ? { endpointId: filter.endpointId } : {}),
          createdAt: {
            ...(filter.from ? { gte: filter.from } : {}),
            ...(filter.to ? { lt: filter.to } : {}),
          },
        },
        include: withRelations,
        orderBy: { seq: 'desc' },
        take: filter.limit,
      });
      return rows.map(toDelivery);
    },
    async get(id) {
      const row = await prisma.delivery.findUnique({ where: { id }, include: withRelations });
      return row ? toDelivery(row) : null;
    },
    async replay(id, now) {
      const { count } = await prisma.delivery.updateMany({
        where: { id, status: { in: replayable } },
        data: { status: 'PUBLISHED', attempts: 0, nextAttemptAt: now, completedAt: null },
      });
      return count === 1;
    },
    async replayDeadLetters(endpointId, from, to, now) {
      const { count } = await prisma.delivery.updateMany({
        where: { endpointId, status: 'DEAD_LETTER', createdAt: { gte: from, lt: to } },
        data: { status: 'PUBLISHED', attempts: 0, nextAttemptAt: now },
      });
      return count;
    },
    async stats(endpointId, since): Promise<EndpointStats> {
      const attempts = await prisma.attempt.findMany({
        where: { endpointId, startedAt: { gte: since } },
        select: { latencyMs: true, outcome: true, startedAt: true, statusCode: true, error: true },
        orderBy: { id: 'asc' },
      });
      const byStatus = await prisma.delivery.groupBy({
        by: ['status'],
        where: { endpointId },
        _count: { _all: true },
      });
      const delivered = attempts.filter((a) => a.outcome === 'delivered').length;
      // Nearest-rank percentiles over the latencies sorted once.
      const latencies = attempts.map((a) => a.latencyMs).sort((a, b) => a - b);
      const rank = (p: number) =>
        latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)] ??
        null;
      const last = attempts.findLast((a) => a.outcome !== 'delivered');
      return {
        attempts: attempts.length,
        delivered,
        successRate: attempts.length ? delivered / attempts.length : null,
        latencyP50Ms: rank(50),
        latencyP99Ms: rank(99),
        lastError: last
          ? { at: last.startedAt, statusCode: last.statusCode, error: last.error }
          : null,
        deliveriesByStatus: Object.fromEntries(byStatus.map((g) => [g.status, g._count._all])),
      };
    },
  };
}
