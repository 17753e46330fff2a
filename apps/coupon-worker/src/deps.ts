import { createCouponDb, type PrismaClient } from '@commerce/coupon-db';
import { createDatabasePool } from '@commerce/db';
import { EventCodec } from '@commerce/events';
import { createKafkaClient, type Kafka } from '@commerce/kafka';
import { createOutboxPublisher, type OutboxRelay } from '@commerce/outbox';
import { createMetricsRegistry, createRedisClient, type RedisClient } from '@commerce/service';
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import Redlock from 'redlock';
import type { Config } from './config.ts';
import { createIssuanceStore } from './data-access/issuance.repository.ts';
import { createUserLocks } from './data-access/user-locks.ts';
import type { IssuanceStore, UserLocks } from './domain/issuance-store.ts';

export interface Deps {
  config: Config;
  logger: Logger;
  metrics: Registry;
  prisma: PrismaClient;
  redis: RedisClient;
  kafka: Kafka;
  codec: EventCodec;
  relay: OutboxRelay;
  store: IssuanceStore;
  locks: UserLocks;
  close(): Promise<void>;
}

/** FAULT_HOLD_DECISION_MS: each transaction returns only `ms` after it committed (tests only). */
function holdAfterCommit(store: IssuanceStore, ms: number): IssuanceStore {
  return {
    async transaction(work) {
      const result = await store.transaction(work);
      await new Promise((resolve) => setTimeout(resolve, ms));
      return result;
    },
  };
}

/** Creates and connects every client this process uses; close() releases them in reverse order. */
export async function createDeps(config: Config, logger: Logger): Promise<Deps> {
  const metrics = createMetricsRegistry('coupon-worker');
  const prisma = createCouponDb(config.DATABASE_URL, config.DATABASE_POOL_SIZE);
  const pool = createDatabasePool(config.DATABASE_URL);
  const cluster = config.REDIS_CLUSTER;
  const redis = createRedisClient(config.REDIS_URL, { cluster, maxRetriesPerRequest: 2 });
  // Few, quick retries: a lock held elsewhere is a transient failure the runner retries.
  const redlock = new Redlock([redis], { retryCount: 3, retryDelay: 50, retryJitter: 50 });
  const kafka = createKafkaClient({
    clientId: 'coupon-worker',
    brokers: config.KAFKA_BROKERS,
    logger,
  });
  const codec = new EventCodec(new SchemaRegistry({ host: config.SCHEMA_REGISTRY_URL }));
  await codec.preload(['CouponIssueSucceeded', 'CouponIssueFailed', 'CouponIssued']);
  const publisher = await createOutboxPublisher({
    kafka,
    codec,
    service: 'coupon-worker',
    pool,
    logger,
    metrics,
  });

  if (config.FAULT_HOLD_DECISION_MS)
    logger.warn(
      { ms: config.FAULT_HOLD_DECISION_MS },
      'FAULT_HOLD_DECISION_MS: holding every batch decision',
    );
  const store = createIssuanceStore(prisma);

  return {
    config,
    logger,
    metrics,
    prisma,
    redis,
    kafka,
    codec,
    relay: publisher.relay,
    store: config.FAULT_HOLD_DECISION_MS
      ? holdAfterCommit(store, config.FAULT_HOLD_DECISION_MS)
      : store,
    locks: createUserLocks(redlock, {
      ttlMs: config.LOCK_TTL_MS,
      logger: logger.child({ component: 'user-lock' }),
    }),
    async close() {
      await publisher.close();
      await redis.quit();
      await pool.end();
      await prisma.$disconnect();
    },
  };
}
