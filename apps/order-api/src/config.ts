import { rankingDefaults } from '@commerce/events';
import {
  booleanFromEnv,
  commonEnv,
  databaseUrl,
  kafkaNamePrefix,
  loadConfig,
  operatorApiKey,
  publicApiEnv,
  redisUrl,
  shopperKeySource,
  timeZone,
} from '@commerce/service';
import { z } from 'zod';

const schema = z
  .object({
    ...commonEnv,
    /** Shopper tokens (JWT_*), rate limits (RATE_LIMIT_*), shedding (OVERLOAD_*), TRUSTED_PROXIES. */
    ...publicApiEnv,
    /** The API, /healthz, /readyz, /metrics and /openapi.json. */
    PORT: commonEnv.PORT.default(3002),
    /** The order database (products, orders, payments, outbox); this service owns it. */
    DATABASE_URL: databaseUrl,
    /** Database connections of this process (Prisma; the outbox relay has two more of its own). */
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
    /** Redis holding the ranking's daily sorted sets, written by ranking-worker. */
    REDIS_URL: redisUrl,
    /** Operators send it in X-Api-Key to create products. */
    OPERATOR_API_KEY: operatorApiKey,
    /** ISO 4217 code of every price and order (one market per deployment; the seed's is KRW). */
    STORE_CURRENCY: z
      .string()
      .regex(/^[A-Z]{3}$/, 'STORE_CURRENCY must be an ISO 4217 code such as KRW')
      .default('KRW'),
    /** IANA time zone whose midnight starts a ranking day; must match ranking-worker's. */
    RANKING_TIME_ZONE: timeZone('RANKING_TIME_ZONE').default(rankingDefaults.timeZone),
    /** Prefix of the ranking keys in Redis; must match ranking-worker's. */
    RANKING_KEY_PREFIX: z.string().min(1).max(100).default(rankingDefaults.keyPrefix),
    /** How long a computed multi-day window is reused before it is summed again. */
    RANKING_CACHE_MS: z.coerce.number().int().min(0).max(60_000).default(2_000),
    KAFKA_NAME_PREFIX: kafkaNamePrefix,
    /** How often the outbox relay looks for rows nobody woke it for (e.g. after a crash). */
    OUTBOX_SWEEP_INTERVAL_MS: z.coerce.number().int().min(10).max(60_000).default(1_000),
    /**
     * Test only: exit with code 137 right after a payment commits, before the relay is woken,
     * as a crash in the window between commit and publish would. Never set it in production.
     */
    FAULT_EXIT_AFTER_PAYMENT_COMMIT: booleanFromEnv.default(false),
  })
  .superRefine(shopperKeySource);

export type Config = z.output<typeof schema>;

export function readConfig(env: Record<string, string | undefined> = process.env): Config {
  return loadConfig(schema, env);
}
