import { createCouponDb, type PrismaClient } from '@commerce/coupon-db';
import { createDatabasePool } from '@commerce/db';
import { EventCodec } from '@commerce/events';
import { createKafkaClient, type Kafka } from '@commerce/kafka';
import { createOutboxPublisher, type OutboxRelay } from '@commerce/outbox';
import { createMetricsRegistry, createRedisClient, type RedisClient } from '@commerce/service';
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { Config } from './config.ts';
import { createAdmission } from './data-access/admission.ts';
import { readAdmissionSnapshot } from './data-access/admission-snapshot.ts';
import { cachedCoupons, createCouponRepository } from './data-access/coupons.repository.ts';
import { createPendingLog } from './data-access/pending-log.ts';
import { createRequestLog } from './data-access/requests.repository.ts';
import { createResultHub, type ResultHub } from './data-access/result-hub.ts';
import type { Admission } from './domain/admission.ts';
import type { CouponReader, CouponRepository } from './domain/coupons.ts';
import type { RequestLog } from './domain/request-log.ts';

export interface Deps {
  config: Config;
  logger: Logger;
  metrics: Registry;
  prisma: PrismaClient;
  redis: RedisClient;
  kafka: Kafka;
  codec: EventCodec;
  relay: OutboxRelay;
  coupons: CouponRepository;
  /** The coupons as of COUPON_CACHE_TTL_MS ago at most, for the rush's requests. */
  cachedCoupons: CouponReader;
  requests: RequestLog;
  admission: Admission;
  hub: ResultHub;
  close(): Promise<void>;
}

/** Creates and connects every client of coupon-api; close() releases them in reverse order. */
export async function createDeps(config: Config, logger: Logger): Promise<Deps> {
  const metrics = createMetricsRegistry('coupon-api');
  const prisma = createCouponDb(config.DATABASE_URL, config.DATABASE_POOL_SIZE);
  const pool = createDatabasePool(config.DATABASE_URL);
  // The admitted path's group commits, apart from the relay's connections.
  const writerPool = createDatabasePool(config.DATABASE_URL, 8);
  const cluster = config.REDIS_CLUSTER;
  const redis = createRedisClient(config.REDIS_URL, { cluster, maxRetriesPerRequest: 2 });
  // A subscribed connection can do nothing else.
  const subscriber = createRedisClient(config.REDIS_URL, { cluster });
  const kafka = createKafkaClient({
    clientId: 'coupon-api',
    brokers: config.KAFKA_BROKERS,
    logger,
  });
  const codec = new EventCodec(new SchemaRegistry({ host: config.SCHEMA_REGISTRY_URL }));
  await codec.preload(['CouponIssueRequested']);
  const publisher = await createOutboxPublisher({
    kafka,
    codec,
    service: 'coupon-api',
    pool,
    logger,
    metrics,
  });
  const hub = createResultHub({ publisher: redis, subscriber, logger });
  await hub.start();
  const coupons = createCouponRepository(prisma);

  return {
    config,
    logger,
    metrics,
    prisma,
    redis,
    kafka,
    codec,
    relay: publisher.relay,
    coupons,
    cachedCoupons: cachedCoupons(coupons, config.COUPON_CACHE_TTL_MS),
    requests: createRequestLog(prisma, createPendingLog(writerPool)),
    admission: createAdmission(redis, { snapshot: readAdmissionSnapshot(prisma) }),
    hub,
    async close() {
      await publisher.close();
      await subscriber.quit();
      await redis.quit();
      await writerPool.end();
      await pool.end();
      await prisma.$disconnect();
    },
  };
}
