import { createCouponDb, type PrismaClient } from '@commerce/coupon-db';
import { createDatabasePool } from '@commerce/db';
import { EventCodec } from '@commerce/events';
import { createKafkaClient, EventProducer, type Kafka } from '@commerce/kafka';
import { OutboxRelay, registerOutboxMetrics } from '@commerce/outbox';
import { createMetricsRegistry } from '@commerce/service';
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { Redis } from 'ioredis';
import type { Pool } from 'mariadb';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import Redlock from 'redlock';
import type { Config } from './config.ts';

export interface Deps {
  config: Config;
  logger: Logger;
  metrics: Registry;
  prisma: PrismaClient;
  pool: Pool;
  redis: Redis;
  redlock: Redlock;
  kafka: Kafka;
  codec: EventCodec;
  producer: EventProducer;
  relay: OutboxRelay;
  close(): Promise<void>;
}

/** Creates and connects every client this process uses; close() releases them in reverse order. */
export async function createDeps(config: Config, logger: Logger): Promise<Deps> {
  const metrics = createMetricsRegistry('coupon-worker');
  const prisma = createCouponDb(config.DATABASE_URL, config.DATABASE_POOL_SIZE);
  const pool = createDatabasePool(config.DATABASE_URL);
  const redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: 2 });
  // Few, quick retries: a lock held elsewhere is a transient failure the runner retries.
  const redlock = new Redlock([redis], { retryCount: 3, retryDelay: 50, retryJitter: 50 });
  const kafka = createKafkaClient({
    clientId: 'coupon-worker',
    brokers: config.KAFKA_BROKERS,
    logger,
  });
  const codec = new EventCodec(new SchemaRegistry({ host: config.SCHEMA_REGISTRY_URL }));
  await codec.preload(['CouponIssueSucceeded', 'CouponIssueFailed', 'CouponIssued']);
  const producer = new EventProducer({ kafka, codec, service: 'coupon-worker' });
  await producer.connect();
  const relay = new OutboxRelay({ pool, producer, logger: logger.child({ component: 'outbox' }) });
  registerOutboxMetrics(metrics, relay);

  return {
    config,
    logger,
    metrics,
    prisma,
    pool,
    redis,
    redlock,
    kafka,
    codec,
    producer,
    relay,
    async close() {
      await relay.stop();
      await producer.disconnect();
      await redis.quit();
      await pool.end();
      await prisma.$disconnect();
    },
  };
}
