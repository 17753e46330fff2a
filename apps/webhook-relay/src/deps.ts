import { EventCodec, topics } from '@commerce/events';
import { brokersReachable, createKafkaClient, type Kafka } from '@commerce/kafka';
import { createOutboxPublisher, type OutboxRelay } from '@commerce/outbox';
import { createMetricsRegistry } from '@commerce/service';
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import type { Pool } from 'mariadb';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { Config } from './config.ts';
import { createDeliveryStore } from './data-access/deliveries.repository.ts';
import { createDestinationCheck } from './data-access/destination-check.ts';
import { createDispatchStore } from './data-access/dispatch.repository.ts';
import { createEndpointStore } from './data-access/endpoints.repository.ts';
import { createWebhookDb, createWebhookPool, type PrismaClient } from './data-access/webhook-db.ts';
import { createDispatchMetrics } from './dispatch/metrics.ts';
import { DeliveryScheduler } from './dispatch/scheduler.ts';
import { createSender } from './dispatch/sender.ts';
import type { DeliveryStore } from './domain/delivery-reader.ts';
import type { DestinationCheck } from './domain/destination.ts';
import type { DispatchStore } from './domain/dispatch-store.ts';
import type { EndpointStore } from './domain/endpoint-store.ts';

export interface Deps {
  config: Config;
  logger: Logger;
  metrics: Registry;
  now: () => Date;
  prisma: PrismaClient;
  pool: Pool;
  kafka: Kafka;
  codec: EventCodec;
  kafkaReachable: () => Promise<void>;
  endpoints: EndpointStore;
  deliveries: DeliveryStore;
  dispatch: DispatchStore;
  checkDestination: DestinationCheck;
  scheduler: DeliveryScheduler;
  /** Publishes the dead-letter envelopes the flushes write to the outbox. */
  relay: OutboxRelay;
  close(): Promise<void>;
}

/** Creates every client this process uses; close() releases them in reverse order. */
export async function createDeps(config: Config, logger: Logger): Promise<Deps> {
  const metrics = createMetricsRegistry('webhook-relay');
  const prisma = createWebhookDb(config.DATABASE_URL, 4);
  const pool = createWebhookPool(config.DATABASE_URL, config.DATABASE_POOL_SIZE);
  const kafka = createKafkaClient({
    clientId: 'webhook-relay',
    brokers: config.KAFKA_BROKERS,
    logger,
  });
  const brokers = brokersReachable(kafka);
  const codec = new EventCodec(new SchemaRegistry({ host: config.SCHEMA_REGISTRY_URL }));
  // A missing envelope schema fails start-up, not the first dead letter.
  await codec.preload(['WebhookDeliveryDeadLettered']);
  const outbox = await createOutboxPublisher({
    kafka,
    codec,
    service: 'webhook-relay',
    pool,
    logger,
    metrics,
  });
  const dispatch = createDispatchStore(pool, {
    deadLetterTopic: config.KAFKA_NAME_PREFIX + topics.webhookDeadLetters.name,
    circuitOpenAfterMs: config.CIRCUIT_BREAKER_AFTER_MS,
  });
  const sender = createSender({
    policy: config.DESTINATION_ALLOW_LIST,
    timeoutMs: config.REQUEST_TIMEOUT_MS,
    maxResponseBytes: config.RESPONSE_BODY_LIMIT_BYTES,
    connectionsPerOrigin: config.ENDPOINT_CONCURRENCY,
    userAgent: 'commerce-webhook-relay/1',
  });
  const scheduler = new DeliveryScheduler({
    store: {
      ...dispatch,
      // Dead-letter envelopes leave as soon as their flush commits.
      recordAttempts: async (results, now) => {
        const disabled = await dispatch.recordAttempts(results, now);
        if (results.some((r) => r.decision.status === 'DEAD_LETTER')) outbox.relay.wake();
        return disabled;
      },
    },
    sender,
    logger: logger.child({ component: 'scheduler' }),
    metrics: createDispatchMetrics(metrics, pool),
    schedule: { delaysMs: config.RETRY_SCHEDULE, jitter: config.RETRY_JITTER },
    batchSize: config.CLAIM_BATCH_SIZE,
    maxInFlight: config.MAX_IN_FLIGHT,
    endpointConcurrency: config.ENDPOINT_CONCURRENCY,
    leaseMs: config.REQUEST_TIMEOUT_MS + 30_000,
    pollIntervalMs: config.POLL_INTERVAL_MS,
    flushIntervalMs: config.FLUSH_INTERVAL_MS,
    flushMaxResults: config.CLAIM_BATCH_SIZE,
  });
  return {
    config,
    logger,
    metrics,
    now: () => new Date(),
    prisma,
    pool,
    kafka,
    codec,
    kafkaReachable: brokers.check,
    endpoints: createEndpointStore(prisma),
    deliveries: createDeliveryStore(prisma),
    dispatch,
    checkDestination: createDestinationCheck(config.DESTINATION_ALLOW_LIST),
    scheduler,
    relay: outbox.relay,
    async close() {
      await outbox.close();
      await sender.close();
      await brokers.close();
      await pool.end();
      await prisma.$disconnect();
    },
  };
}
