import { EventCodec } from '@commerce/events';
import { createKafkaClient } from '@commerce/kafka';
import { createMetricsRegistry } from '@commerce/service';
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { Redis } from 'ioredis';
import type { Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import { Counter, type Registry } from 'prom-client';
import type { Config } from './config.ts';
import { createRankingWriter } from './data-access/ranking.repository.ts';
import type { RankingWriter } from './domain/count-order.ts';

export interface Deps {
  config: Config;
  logger: Logger;
  metrics: Registry;
  redis: Redis;
  kafka: Kafka;
  codec: EventCodec;
  ranking: RankingWriter;
  outcomes: Counter<'outcome'>;
  close(): Promise<void>;
}

/** FAULT_HOLD_COUNT_MS: each count returns only `ms` after Redis applied it (tests only). */
function holdAfterCount(writer: RankingWriter, ms: number): RankingWriter {
  return {
    async countOnce(input) {
      const outcome = await writer.countOnce(input);
      await new Promise((resolve) => setTimeout(resolve, ms));
      return outcome;
    },
  };
}

/** Creates every client this process uses; close() releases them in reverse order. */
export async function createDeps(config: Config, logger: Logger): Promise<Deps> {
  const metrics = createMetricsRegistry('ranking-worker');
  // Auto-pipelining sends the scripts of the partitions handled at once in one write.
  const redis = new Redis(config.REDIS_URL, {
    maxRetriesPerRequest: 2,
    enableAutoPipelining: true,
  });
  redis.on('error', (err) => logger.warn({ err }, 'redis connection failed; retrying'));
  const kafka = createKafkaClient({
    clientId: 'ranking-worker',
    brokers: config.KAFKA_BROKERS,
    logger,
  });
  const codec = new EventCodec(new SchemaRegistry({ host: config.SCHEMA_REGISTRY_URL }));
  const outcomes = new Counter({
    name: 'ranking_events_total',
    help: 'OrderCompleted events by outcome: counted, duplicate (redelivered), expired.',
    labelNames: ['outcome'],
    registers: [metrics],
  });

  const ranking = createRankingWriter(redis, config.RANKING_KEY_PREFIX);
  if (config.FAULT_HOLD_COUNT_MS)
    logger.warn({ ms: config.FAULT_HOLD_COUNT_MS }, 'FAULT_HOLD_COUNT_MS: holding every count');
  return {
    config,
    logger,
    metrics,
    redis,
    kafka,
    codec,
    ranking: config.FAULT_HOLD_COUNT_MS
      ? holdAfterCount(ranking, config.FAULT_HOLD_COUNT_MS)
      : ranking,
    outcomes,
    async close() {
      await redis.quit();
    },
  };
}
