import { rankingDefaults } from '@commerce/events';
import {
  commonEnv,
  consumerEnv,
  kafkaNamePrefix,
  loadConfig,
  operatorApiKey,
  redisUrl,
  timeZone,
} from '@commerce/service';
import { z } from 'zod';

/** Where the ranking lives; the worker and the rebuild command share these. */
const rankingEnv = {
  /** Redis holding the ranking's sorted sets (order-api reads them). */
  REDIS_URL: redisUrl,
  /** IANA time zone whose midnight starts a ranking day; must match order-api's. */
  RANKING_TIME_ZONE: timeZone('RANKING_TIME_ZONE').default(rankingDefaults.timeZone),
  /** Prefix of the ranking keys in Redis; must match order-api's. */
  RANKING_KEY_PREFIX: z.string().min(1).max(100).default(rankingDefaults.keyPrefix),
};

const schema = z.object({
  ...commonEnv,
  ...rankingEnv,
  /** /healthz, /readyz and /metrics. */
  PORT: commonEnv.PORT.default(3102),
  ...consumerEnv,
  KAFKA_NAME_PREFIX: kafkaNamePrefix,
  /** Operators send it as X-Api-Key to the dead-letter routes; unset, those routes are off. */
  OPERATOR_API_KEY: operatorApiKey.optional(),
  /**
   * Test only: after each order is counted, wait this long before its offset may be
   * committed, so a kill lands mid-batch with orders counted and not yet committed. Never in
   * production.
   */
  FAULT_HOLD_COUNT_MS: z.coerce.number().int().min(0).max(60_000).default(0),
});

export type Config = z.output<typeof schema>;

export function readConfig(env: Record<string, string | undefined> = process.env): Config {
  return loadConfig(schema, env);
}

const rebuildSchema = z.object({
  ...rankingEnv,
  LOG_LEVEL: commonEnv.LOG_LEVEL,
  KAFKA_BROKERS: commonEnv.KAFKA_BROKERS,
  SCHEMA_REGISTRY_URL: commonEnv.SCHEMA_REGISTRY_URL,
  /** The prefix of the order-completed topic the rebuild reads back (as the worker's). */
  KAFKA_NAME_PREFIX: kafkaNamePrefix,
});

export type RebuildConfig = z.output<typeof rebuildSchema>;

export function readRebuildConfig(
  env: Record<string, string | undefined> = process.env,
): RebuildConfig {
  return loadConfig(rebuildSchema, env);
}
