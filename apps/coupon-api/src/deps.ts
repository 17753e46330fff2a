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
import type { Config } from './config.ts';
import { AdmissionQueue } from './data-access/admission.ts';
import { CouponsRepository } from './data-access/coupons.repository.ts';
import { RequestsRepository } from './data-access/requests.repository.ts';
import { ResultHub } from './data-access/result-hub.ts';

export interface Deps {
  config: Config;
  logger: Logger;
  metrics: Registry;
  prisma: PrismaClient;
  pool: Pool;
  redis: Redis;
  kafka: Kafka;
  codec: EventCodec;
  producer: EventProducer;
  relay: OutboxRelay;
  coupons: CouponsRepository;
  requests: RequestsRepository;
  admission: AdmissionQueue;
  hub: ResultHub;
  close(): Promise<void>;
}

/** Creates and connects every client of coupon-api; close() releases them in reverse order. */
export async function createDeps(config: Config, logger: Logger): Promise<Deps> {
  const metrics = createMetricsRegistry('coupon-api');
  const prisma = createCouponDb(config.DATABASE_URL, config.DATABASE_POOL_SIZE);
  const pool = createDatabasePool(config.DATABASE_URL);
  const redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: 2 });
  const subscriber = new Redis(config.REDIS_URL); // a subscribed connection can do nothing else
  const kafka = createKafkaClient({
    clientId: 'coupon-api',
    brokers: config.KAFKA_BROKERS,
    logger,
  });
  const codec = new EventCodec(new SchemaRegistry({ host: config.SCHEMA_REGISTRY_URL }));
  await codec.preload(['CouponIssueRequested']);
  const producer = new EventProducer({ kafka, codec, service: 'coupon-api' });
  await producer.connect();
  const relay = new OutboxRelay({ pool, producer, logger: logger.child({ component: 'outbox' }) });
  registerOutboxMetrics(metrics, relay);
  const hub = new ResultHub({ publisher: redis, subscriber, logger });
  await hub.start();

  return {
    config,
    logger,
    metrics,
    prisma,
    pool,
    redis,
    kafka,
    codec,
    producer,
    relay,
    coupons: new CouponsRepository(prisma, config.COUPON_CACHE_TTL_MS),
    requests: new RequestsRepository(prisma),
    admission: new AdmissionQueue(redis),
    hub,
    async close() {
      await relay.stop();
      await producer.disconnect();
      await subscriber.quit();
      await redis.quit();
      await pool.end();
      await prisma.$disconnect();
    },
  };
}
