import { parseDatabaseUrl } from '@commerce/db';
import { EventCodec, topics } from '@commerce/events';
import { brokersReachable, createKafkaClient } from '@commerce/kafka';
import { createOutboxPublisher, type OutboxRelay } from '@commerce/outbox';
import { createMetricsRegistry } from '@commerce/service';
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { Redis } from 'ioredis';
import { createPool } from 'mariadb';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { Config } from './config.ts';
import { createOrderDb, type PrismaClient } from './data-access/order-db.ts';
import { createOrderReader, createOrderStore } from './data-access/orders.repository.ts';
import { createProductRepository } from './data-access/products.repository.ts';
import { createRankingReader } from './data-access/rankings.repository.ts';
import type { OrderReader } from './domain/get-order.ts';
import type { OrderTopics } from './domain/order-events.ts';
import type { OrderStore } from './domain/order-store.ts';
import type { ProductRepository } from './domain/products.ts';
import type { ProductNames, RankingReader } from './domain/top-products.ts';

export interface Deps {
  config: Config;
  logger: Logger;
  metrics: Registry;
  now: () => Date;
  prisma: PrismaClient;
  redis: Redis;
  /** The readiness check of the Kafka brokers. */
  kafkaReachable: () => Promise<void>;
  relay: OutboxRelay;
  store: OrderStore;
  orders: OrderReader;
  products: ProductRepository & ProductNames;
  rankings: RankingReader;
  topics: OrderTopics;
  /** Runs after each payment commits: wakes the relay so its events leave at once. */
  afterPaymentCommit: () => void;
  close(): Promise<void>;
}

export interface DepsOverrides {
  /** The clock of orders and payments, and of "today" for the ranking; tests set it. */
  now?: () => Date;
}

/** Creates and connects every client this process uses; close() releases them in reverse order. */
export async function createDeps(
  config: Config,
  logger: Logger,
  overrides: DepsOverrides = {},
): Promise<Deps> {
  const metrics = createMetricsRegistry('order-api');
  const prisma = createOrderDb(config.DATABASE_URL, config.DATABASE_POOL_SIZE);
  // The relay claims rows with the mariadb driver directly (FOR UPDATE SKIP LOCKED rounds).
  const pool = createPool({ ...parseDatabaseUrl(config.DATABASE_URL), connectionLimit: 2 });
  const redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: 2 });
  redis.on('error', (err) => logger.warn({ err }, 'redis connection failed; retrying'));
  const kafka = createKafkaClient({
    clientId: 'order-api',
    brokers: config.KAFKA_BROKERS,
    logger,
  });
  const brokers = brokersReachable(kafka);
  const codec = new EventCodec(new SchemaRegistry({ host: config.SCHEMA_REGISTRY_URL }));
  // A missing schema fails start-up, not the first payment's publish.
  await codec.preload(['OrderCompleted', 'PaymentCompleted', 'ProductStockChanged']);
  const outbox = await createOutboxPublisher({
    kafka,
    codec,
    service: 'order-api',
    pool,
    logger,
    metrics,
    relay: { sweepIntervalMs: config.OUTBOX_SWEEP_INTERVAL_MS },
  });
  const { relay } = outbox;

  const prefix = config.KAFKA_NAME_PREFIX;
  const afterPaymentCommit = config.FAULT_EXIT_AFTER_PAYMENT_COMMIT
    ? () => {
        logger.warn('FAULT_EXIT_AFTER_PAYMENT_COMMIT: exiting right after the commit');
        process.exit(137);
      }
    : () => relay.wake();

  return {
    config,
    logger,
    metrics,
    now: overrides.now ?? (() => new Date()),
    prisma,
    redis,
    kafkaReachable: brokers.check,
    relay,
    store: createOrderStore(prisma),
    orders: createOrderReader(prisma),
    products: createProductRepository(prisma),
    rankings: createRankingReader(redis, {
      prefix: config.RANKING_KEY_PREFIX,
      cacheMs: config.RANKING_CACHE_MS,
    }),
    topics: {
      orderCompleted: prefix + topics.orderCompleted.name,
      externalEvents: prefix + topics.externalEvents.name,
      productEvents: prefix + topics.productEvents.name,
    },
    afterPaymentCommit,
    async close() {
      await outbox.close();
      await brokers.close();
      await redis.quit();
      await pool.end();
      await prisma.$disconnect();
    },
  };
}
