import { randomUUID } from 'node:crypto';
import { freshDatabase } from '@commerce/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebhookDb, webhookMigrationsDir } from '../src/data-access/webhook-db.ts';

// The SQL migration and schema.prisma must agree: every model is written and read back
// through Prisma Client on a database created by the migration alone.
let database: Awaited<ReturnType<typeof freshDatabase>>;
let prisma: ReturnType<typeof createWebhookDb>;

beforeAll(async () => {
  database = await freshDatabase(webhookMigrationsDir, 'webhooks_models');
  prisma = createWebhookDb(database.url, 2);
});
afterAll(async () => {
  await prisma?.$disconnect();
  await database?.drop();
});

describe('webhook database models', () => {
  it('reads back every model as written', async () => {
    const at = new Date('2026-12-02T12:00:00.123Z');
    const endpoint = await prisma.endpoint.create({
      data: {
        id: randomUUID(),
        url: 'https://partner.example/hook',
        description: 'partner',
        eventTypes: ['PaymentCompleted'],
        rateLimitPerSecond: 10,
        ordered: true,
        secret: 'whsec_a',
        previousSecret: 'whsec_b',
        previousSecretExpiresAt: at,
        failingSince: at,
        status: 'DISABLED',
        disabledReason: 'CIRCUIT_OPEN',
      },
    });
    const message = await prisma.message.create({
      data: { id: randomUUID(), eventType: 'PaymentCompleted', body: '{"a":1}', occurredAt: at },
    });
    const delivery = await prisma.delivery.create({
      data: {
        id: randomUUID(),
        endpointId: endpoint.id,
        messageId: message.id,
        status: 'DEAD_LETTER',
        attempts: 5,
        nextAttemptAt: at,
        lastStatusCode: 503,
        lastError: 'HTTP 503',
        completedAt: at,
      },
    });
    await prisma.attempt.create({
      data: {
        deliveryId: delivery.id,
        endpointId: endpoint.id,
        attemptNo: 1,
        dueAt: at,
        startedAt: at,
        statusCode: 503,
        latencyMs: 12,
        outcome: 'http_503',
        error: 'HTTP 503',
        responseBody: 'busy',
      },
    });
    await prisma.outboxEvent.create({
      data: {
        eventId: randomUUID(),
        eventType: 'WebhookDeliveryDeadLettered',
        topic: 'webhook-relay.dlq',
        messageKey: endpoint.id,
        payload: '{}',
        correlationId: 'c',
      },
    });
    const read = await prisma.delivery.findUniqueOrThrow({
      where: { id: delivery.id },
      include: { endpoint: true, message: true, attemptRows: true },
    });
    expect(read).toMatchObject({
      status: 'DEAD_LETTER',
      attempts: 5,
      lastStatusCode: 503,
      endpoint: { eventTypes: ['PaymentCompleted'], ordered: true, disabledReason: 'CIRCUIT_OPEN' },
      message: { body: '{"a":1}', occurredAt: at },
      attemptRows: [{ attemptNo: 1, latencyMs: 12, responseBody: 'busy', dueAt: at }],
    });
    expect(typeof read.seq).toBe('bigint');
    expect(await prisma.outboxEvent.count()).toBe(1);
    await expect(
      prisma.delivery.create({
        data: { id: randomUUID(), endpointId: endpoint.id, messageId: message.id },
      }),
    ).rejects.toThrow();
    await prisma.endpoint.delete({ where: { id: endpoint.id } });
    expect(await prisma.delivery.count()).toBe(0);
    expect(await prisma.attempt.count()).toBe(0);
  });
});
