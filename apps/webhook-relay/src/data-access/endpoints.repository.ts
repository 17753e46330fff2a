import type { EndpointChanges, EndpointStore, NewEndpoint } from '../domain/endpoint-store.ts';
import type { DisabledReason, Endpoint, SubscribableEventType } from '../domain/model.ts';
import type { Endpoint as EndpointRow } from '../generated/prisma/client.ts';
import type { PrismaClient } from './webhook-db.ts';

export function toEndpoint(row: EndpointRow): Endpoint {
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    eventTypes: row.eventTypes as SubscribableEventType[],
    status: row.status,
    disabledReason: row.disabledReason as DisabledReason | null,
    rateLimitPerSecond: row.rateLimitPerSecond,
    ordered: row.ordered,
    failingSince: row.failingSince,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

const isMissing = (err: unknown) =>
  typeof err === 'object' && err !== null && 'code' in err && err.code === 'P2025';

/** Endpoints through Prisma; enabling releases the paused backlog in the same transaction. */
export function createEndpointStore(prisma: PrismaClient): EndpointStore {
  return {
    async create(endpoint: NewEndpoint) {
      return toEndpoint(await prisma.endpoint.create({ data: endpoint }));
    },
    async list() {
      return (await prisma.endpoint.findMany({ orderBy: { createdAt: 'asc' } })).map(toEndpoint);
    },
    async get(id) {
      const row = await prisma.endpoint.findUnique({ where: { id } });
      return row ? toEndpoint(row) : null;
    },
    async update(id, changes: EndpointChanges, now) {
      const { enabled, ...fields } = changes;
      const status =
        enabled === undefined
          ? {}
          : enabled
            ? { status: 'ENABLED' as const, disabledReason: null, failingSince: null }
            : { status: 'DISABLED' as const, disabledReason: 'MANUAL' };
      try {
        const row = await prisma.$transaction(async (tx) => {
          const updated = await tx.endpoint.update({
            where: { id },
            data: { ...fields, ...status },
          });
          if (enabled === true)
            await tx.delivery.updateMany({
              where: { endpointId: id, status: 'PAUSED' },
              data: { status: 'PUBLISHED', nextAttemptAt: now },
            });
          if (enabled === false)
            await tx.delivery.updateMany({
              where: { endpointId: id, status: { in: ['PUBLISHED', 'FAILED'] } },
              data: { status: 'PAUSED', nextAttemptAt: null },
            });
          return updated;
        });
        return toEndpoint(row);
      } catch (err) {
        if (isMissing(err)) return null;
        throw err;
      }
    },
    async delete(id) {
      const { count } = await prisma.endpoint.deleteMany({ where: { id } });
      return count === 1;
    },
    async rotateSecret(id, secret, previousValidUntil) {
      const current = await prisma.endpoint.findUnique({ where: { id }, select: { secret: true } });
      if (!current) return false;
      const { count } = await prisma.endpoint.updateMany({
        where: { id, secret: current.secret },
        data: {
          secret,
          previousSecret: current.secret,
          previousSecretExpiresAt: previousValidUntil,
        },
      });
      return count === 1;
    },
  };
}
