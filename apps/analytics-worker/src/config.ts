import {
  booleanFromEnv,
  commonEnv,
  consumerEnv,
  databaseUrl,
  kafkaNamePrefix,
  loadConfig,
  operatorApiKey,
  overloadEnv,
  trustedProxies,
} from '@commerce/service';
import { z } from 'zod';
import { hourBucket } from './domain/hours.ts';

const knownTimeZone = (timeZone: string): boolean => {
  try {
    return hourBucket(0, timeZone).day.length === 10;
  } catch {
    return false;
  }
};

const schema = z
  .object({
    ...commonEnv,
    /** /healthz, /readyz, /metrics and the read API (/analytics/...). */
    PORT: commonEnv.PORT.default(3103),
    /** The read API answers operators only: sales figures are not public. */
    OPERATOR_API_KEY: operatorApiKey,
    /** The gateway's address: its X-Forwarded-* headers are believed, nobody else's. */
    TRUSTED_PROXIES: trustedProxies,
    /** Shedding of the read API (OVERLOAD_*, as the other APIs). */
    ...overloadEnv,
    /** The analytics database (its own: mysql://user:pass@host:3306/analytics). */
    DATABASE_URL: databaseUrl,
    /** Connections to it: one per partition flushing at once, plus the read API. */
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(6),
    /** IANA time zone whose hours and days the aggregates use (the rankings' zone by default). */
    ANALYTICS_TIME_ZONE: z
      .string()
      .refine(knownTimeZone, 'ANALYTICS_TIME_ZONE must be an IANA time zone such as Asia/Seoul')
      .default('Asia/Seoul'),
    /** Most records per flush (one transaction, one HTTP call). */
    BATCH_MAX_RECORDS: z.coerce.number().int().min(1).max(10_000).default(1_000),
    /** Longest a flush waits for records to accumulate (the broker holds the fetch). */
    BATCH_MAX_WAIT_MS: z.coerce.number().int().min(1).max(60_000).default(500),
    /** Bytes a fetch waits for (up to BATCH_MAX_WAIT_MS) before a flush; 1 flushes at once. */
    BATCH_MIN_BYTES: z.coerce
      .number()
      .int()
      .min(1)
      .max(50_000_000)
      .default(64 * 1024),
    ...consumerEnv,
    /** First pause of a partition whose sink stays down after the in-place retries (doubles up to 30 s). */
    CONSUMER_PAUSE_MS: z.coerce.number().int().min(10).max(60_000).default(1_000),
    /** Write facts and aggregates to the analytics database. */
    SINK_DATABASE: booleanFromEnv.default(true),
    /** POST each batch to this analytics platform URL as well (or instead, with SINK_DATABASE=false). */
    SINK_HTTP_URL: z.url({ error: 'SINK_HTTP_URL must be an http(s) URL' }).optional(),
    /** Bearer token for the platform, if it wants one. */
    SINK_HTTP_TOKEN: z.string().min(1).optional(),
    /** One POST's time limit; a timeout is retried like a 503. */
    SINK_HTTP_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(5_000),
    /** How a redelivered record counts once (see README: event-id was measured faster and holds). */
    EXACTLY_ONCE_STRATEGY: z.enum(['event-id', 'offsets']).default('event-id'),
    /**
     * Prefix of the consumed topics, the dead-letter topic and the consumer group (empty in
     * production). Tests and shared environments set it to get their own; topics must exist.
     */
    KAFKA_NAME_PREFIX: kafkaNamePrefix,
    /**
     * Test only: exit with code 137 right after the first flush's transaction commits, before
     * its offsets are committed to Kafka, as a crash in that window would. Never in production.
     */
    FAULT_EXIT_AFTER_FLUSH_COMMIT: booleanFromEnv.default(false),
    /** Test only: hold each flush's transaction open this long, so a kill lands mid-flush. */
    FAULT_HOLD_FLUSH_MS: z.coerce.number().int().min(0).max(60_000).default(0),
  })
  .superRefine((config, ctx) => {
    if (!config.SINK_DATABASE && !config.SINK_HTTP_URL)
      ctx.addIssue({
        code: 'custom',
        path: ['SINK_HTTP_URL'],
        message: 'no sink: set SINK_HTTP_URL, or leave SINK_DATABASE=true',
      });
  });

export type Config = z.output<typeof schema>;

export function readConfig(env: Record<string, string | undefined> = process.env): Config {
  return loadConfig(schema, env);
}
