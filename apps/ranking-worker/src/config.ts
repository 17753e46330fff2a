import { commonEnv, databaseUrl, loadConfig, redisUrl } from '@commerce/service';
import { z } from 'zod';

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/** Where the ranking lives; the worker and the rebuild command share these. */
const rankingEnv = {
  /** Redis holding the ranking's sorted sets (order-api reads them). */
  REDIS_URL: redisUrl,
  /** IANA time zone whose midnight starts a ranking day; must match order-api's. */
  RANKING_TIME_ZONE: z
    .string()
    .refine(isTimeZone, 'RANKING_TIME_ZONE must be an IANA time zone such as Asia/Seoul')
    .default('Asia/Seoul'),
  /** Prefix of the ranking keys in Redis; must match order-api's. */
  RANKING_KEY_PREFIX: z.string().min(1).max(100).default('ranking:'),
};

const schema = z.object({
  ...commonEnv,
  ...rankingEnv,
  /** /healthz, /readyz and /metrics. */
  PORT: commonEnv.PORT.default(3102),
  /** Partitions of order-completed processed at once (the seed's concurrency). */
  CONSUMER_CONCURRENCY: z.coerce.number().int().min(1).max(32).default(3),
  /**
   * Prefix of the consumed topic, the dead-letter topic and the consumer group (empty in
   * production). Tests and shared environments set it to get their own; topics must exist.
   */
  KAFKA_NAME_PREFIX: z.string().max(100).default(''),
});

export type Config = z.output<typeof schema>;

export function readConfig(env: Record<string, string | undefined> = process.env): Config {
  return loadConfig(schema, env);
}

const rebuildSchema = z.object({
  ...rankingEnv,
  LOG_LEVEL: commonEnv.LOG_LEVEL,
  /**
   * The order database, read only (the order database belongs to order-api: this command
   * is the one reader outside it, and it only reads). Give it a user with SELECT only.
   */
  ORDER_DATABASE_URL: databaseUrl,
});

export type RebuildConfig = z.output<typeof rebuildSchema>;

export function readRebuildConfig(
  env: Record<string, string | undefined> = process.env,
): RebuildConfig {
  return loadConfig(rebuildSchema, env);
}
