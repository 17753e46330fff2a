import { z } from 'zod';
import { productionSecretProblems } from './security/production-secrets.ts';

/**
 * Validates a service's environment with its zod schema. A wrong or missing value stops
 * the service with one line per problem, naming the variable and how to fix it. In
 * production it also refuses published or short secrets, whatever the service's schema.
 */
export function loadConfig<S extends z.ZodType>(
  schema: S,
  env: Record<string, string | undefined>,
): z.output<S> {
  const result = schema.safeParse(env);
  const lines = [
    ...(result.success ? [] : result.error.issues).map(
      (issue) => `${issue.path.join('.') || '(environment)'}: ${issue.message}`,
    ),
    ...productionSecretProblems(env),
  ];
  if (result.success && lines.length === 0) return result.data;
  throw new Error(`invalid configuration:\n${lines.map((line) => `  ${line}`).join('\n')}`);
}

/** "true"/"false"/"1"/"0"/"yes"/"no", nothing else (z.coerce.boolean would take "false" as true). */
export const booleanFromEnv = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'use true or false' })
  .transform((value) => ['true', '1', 'yes'].includes(value));

/** Settings every service shares; each service extends this with its own. */
export const commonEnv = {
  /** pino level. */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Where /healthz, /readyz and /metrics (and an API's routes) listen. */
  HOST: z.string().default('0.0.0.0'),
  PORT: z.coerce.number({ error: 'PORT must be a number, e.g. 3000' }).int().min(0).max(65_535),
  /** Comma-separated host:port list of Kafka bootstrap brokers. */
  KAFKA_BROKERS: z
    .string({ error: 'set KAFKA_BROKERS to host:port[,host:port...], e.g. 127.0.0.1:9092' })
    .transform((value) =>
      value
        .split(',')
        .map((b) => b.trim())
        .filter(Boolean),
    )
    .refine((brokers) => brokers.length > 0 && brokers.every((b) => /^[^:\s]+:\d+$/.test(b)), {
      message: 'KAFKA_BROKERS must be host:port[,host:port...], e.g. 127.0.0.1:9092',
    }),
  /** Base URL of the Confluent-API schema registry. */
  SCHEMA_REGISTRY_URL: z.url({
    error: 'set SCHEMA_REGISTRY_URL to the registry URL, e.g. http://127.0.0.1:8081',
  }),
};

/** mysql://user:password@host:3306/database */
export const databaseUrl = z
  .string({ error: 'set DATABASE_URL to mysql://user:password@host:3306/database' })
  .regex(
    /^mysql:\/\/[^/]+\/[^/?]+/,
    'DATABASE_URL must look like mysql://user:password@host:3306/database',
  );

/** redis://host:6379 */
export const redisUrl = z
  .string({ error: 'set REDIS_URL to redis://host:6379' })
  .regex(/^rediss?:\/\//, 'REDIS_URL must look like redis://host:6379');

/** An IANA time zone such as Asia/Seoul; `variable` names it in the fix-it message. */
export const timeZone = (variable: string) =>
  z.string().refine(isTimeZone, `${variable} must be an IANA time zone such as Asia/Seoul`);

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/** The key operators send in X-Api-Key. */
export const operatorApiKey = z
  .string({
    error: 'set OPERATOR_API_KEY to a secret of at least 16 characters (32 in production)',
  })
  .min(16, 'OPERATOR_API_KEY must be at least 16 characters');

/**
 * Prefix of every Kafka topic and group name (empty in production). Tests and shared
 * environments set it to get topics of their own; the topics must exist.
 */
export const kafkaNamePrefix = z.string().max(100).default('');

/** How a process's member of its consumer group behaves: every app with a consumer takes these. */
export const consumerEnv = {
  /** Partitions processed at once (the seed's concurrency is 3). */
  CONSUMER_CONCURRENCY: z.coerce.number().int().min(1).max(32).default(3),
  /** A crashed member's partitions wait this long before another member takes them. */
  CONSUMER_SESSION_TIMEOUT_MS: z.coerce.number().int().min(6_000).max(300_000).default(30_000),
  /**
   * No fetch, heartbeat or batch for this long and the process stops to be restarted (kafkajs
   * can hang after losing its broker). Unset: 2 minutes or 4 session timeouts, the longer.
   */
  CONSUMER_STALL_TIMEOUT_MS: z.coerce.number().int().min(5_000).max(3_600_000).optional(),
};

/** The consumer runner's options from those settings. */
export function consumerTuning(config: {
  CONSUMER_CONCURRENCY: number;
  CONSUMER_SESSION_TIMEOUT_MS: number;
  CONSUMER_STALL_TIMEOUT_MS?: number | undefined;
}) {
  return {
    partitionsConsumedConcurrently: config.CONSUMER_CONCURRENCY,
    sessionTimeoutMs: config.CONSUMER_SESSION_TIMEOUT_MS,
    ...(config.CONSUMER_STALL_TIMEOUT_MS === undefined
      ? {}
      : { stallTimeoutMs: config.CONSUMER_STALL_TIMEOUT_MS }),
  };
}
