import {
  commonEnv,
  consumerEnv,
  databaseUrl,
  loadConfig,
  operatorApiKey,
  redisClusterEnv,
  redisUrl,
} from '@commerce/service';
import { z } from 'zod';

const schema = z.object({
  ...commonEnv,
  /** /healthz, /readyz and /metrics. */
  PORT: commonEnv.PORT.default(3101),
  /** The coupon database (shared with coupon-api). */
  DATABASE_URL: databaseUrl,
  /** Redis for the per-user issuance lock. */
  REDIS_URL: redisUrl,
  /** "true": REDIS_URL lists seed nodes of a Redis Cluster (the keys of a coupon share one slot). */
  REDIS_CLUSTER: redisClusterEnv,
  ...consumerEnv,
  /**
   * Most requests decided in one transaction (one Kafka batch slice). 1 decides one request
   * at a time (the benchmark's baseline).
   */
  BATCH_MAX_RECORDS: z.coerce.number().int().min(1).max(5_000).default(1_000),
  /** How long the broker may hold a fetch for more requests when coupon-requests is quiet. */
  BATCH_MAX_WAIT_MS: z.coerce.number().int().min(0).max(10_000).default(100),
  /** How long the per-user lock lives if this process dies holding it. */
  LOCK_TTL_MS: z.coerce.number().int().min(100).max(60_000).default(5_000),
  /** Operators send it as X-Api-Key to the dead-letter routes; unset, those routes are off. */
  OPERATOR_API_KEY: operatorApiKey.optional(),
  /** Database connections of this process. */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
  /**
   * Test only: each batch decision returns this long after its transaction committed, before
   * its offsets may be committed, so a stop or kill lands mid-batch with decisions committed
   * and their offsets not yet. Never in production.
   */
  FAULT_HOLD_DECISION_MS: z.coerce.number().int().min(0).max(60_000).default(0),
});

export type Config = z.output<typeof schema>;

export function readConfig(env: Record<string, string | undefined> = process.env): Config {
  return loadConfig(schema, env);
}
