import {
  commonEnv,
  consumerEnv,
  databaseUrl,
  loadConfig,
  operatorApiKey,
  publicApiEnv,
  redisClusterEnv,
  redisUrl,
  shopperKeySource,
} from '@commerce/service';
import { z } from 'zod';

const schema = z
  .object({
    ...commonEnv,
    /** Shopper tokens (JWT_*), rate limits (RATE_LIMIT_*), shedding (OVERLOAD_*), TRUSTED_PROXIES. */
    ...publicApiEnv,
    PORT: commonEnv.PORT.default(3001),
    /** The coupon database (shared with coupon-worker). */
    DATABASE_URL: databaseUrl,
    /** Redis: admission (queue order, duplicates, remaining), the result broadcast between instances. */
    REDIS_URL: redisUrl,
    /** "true": REDIS_URL lists seed nodes of a Redis Cluster (the keys of a coupon share one slot). */
    REDIS_CLUSTER: redisClusterEnv,
    /** Operators send it as X-Api-Key to create coupons and to handle dead letters. */
    OPERATOR_API_KEY: operatorApiKey,
    /** How long a coupon's details are cached in memory; the worker re-checks them in the database. */
    COUPON_CACHE_TTL_MS: z.coerce.number().int().min(0).max(60_000).default(1_000),
    /** Comment lines on idle SSE streams keep proxies from closing them. */
    SSE_HEARTBEAT_MS: z.coerce.number().int().min(1_000).max(120_000).default(15_000),
    ...consumerEnv,
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(20),
  })
  .superRefine(shopperKeySource);

export type Config = z.output<typeof schema>;

export function readConfig(env: Record<string, string | undefined> = process.env): Config {
  return loadConfig(schema, env);
}
