import {
  commonEnv,
  consumerEnv,
  databaseUrl,
  kafkaNamePrefix,
  loadConfig,
  operatorApiKey,
  trustedProxies,
} from '@commerce/service';
import { z } from 'zod';
import { parseAllowList } from './domain/destination-policy.ts';
import { parseDelays } from './domain/retry-schedule.ts';

const durationList = (variable: string, example: string) =>
  z.string().transform((text, ctx) => {
    const delays = parseDelays(text);
    if (!delays)
      ctx.addIssue({
        code: 'custom',
        message: `${variable} must be a comma-separated list of durations such as ${example}`,
      });
    return delays ?? [];
  });

const schema = z.object({
  ...commonEnv,
  /** The operator API (/webhooks/...), /healthz, /readyz, /metrics and /openapi.json. */
  PORT: commonEnv.PORT.default(3003),
  /** The webhook database (endpoints, messages, deliveries, attempts); this service owns it. */
  DATABASE_URL: databaseUrl,
  /** Connections of the hot path (fan-out, claims, flushes); Prisma has its own few. */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(2).max(100).default(8),
  /** Operators send it in X-Api-Key on every /webhooks route. */
  OPERATOR_API_KEY: operatorApiKey,
  /** The gateway's address: its X-Forwarded-* headers are believed, nobody else's. */
  TRUSTED_PROXIES: trustedProxies,
  KAFKA_NAME_PREFIX: kafkaNamePrefix,
  ...consumerEnv,
  /** The delay before each retry; the attempts are one more than the delays (seed: 1s,2s,4s,8s). */
  RETRY_SCHEDULE: durationList('RETRY_SCHEDULE', '1s,2s,4s,8s or 5s,5m,30m,2h,5h,10h,10h').default([
    1_000, 2_000, 4_000, 8_000,
  ]),
  /** Each retry delay moves by up to ± this fraction, so a burst of failures spreads out. */
  RETRY_JITTER: z.coerce.number().min(0).max(0.5).default(0.1),
  /** One POST's deadline (connect, headers and body); a timeout is retried. */
  REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).max(300_000).default(15_000),
  /** Bytes of a receiver's answer kept in the attempt log; the rest is not read. */
  RESPONSE_BODY_LIMIT_BYTES: z.coerce.number().int().min(0).max(1_048_576).default(4_096),
  /** An endpoint failing continuously this long is disabled (minutes with the seed's schedule, days with hours-long ones). */
  CIRCUIT_BREAKER_AFTER_MS: z.coerce.number().int().min(1_000).default(300_000),
  /** After a secret rotation, the previous secret still signs (both signatures sent) this long. */
  SECRET_ROTATION_GRACE_MS: z.coerce.number().int().min(0).default(86_400_000),
  /**
   * CIDRs webhooks may reach although private/loopback/link-local (e.g. 127.0.0.0/8 in
   * tests, 10.1.0.0/16 for an internal partner). Empty: public addresses only.
   */
  DESTINATION_ALLOW_LIST: z
    .string()
    .default('')
    .transform((text, ctx) => {
      const policy = parseAllowList(text);
      if (!policy)
        ctx.addIssue({
          code: 'custom',
          message:
            'DESTINATION_ALLOW_LIST must be comma-separated CIDRs such as 127.0.0.0/8,::1/128',
        });
      return policy ?? { allowedCidrs: [] };
    }),
  /** POSTs in flight to one endpoint from this replica. */
  ENDPOINT_CONCURRENCY: z.coerce.number().int().min(1).max(1_000).default(16),
  /** Deliveries this replica holds between claim and recorded outcome. */
  MAX_IN_FLIGHT: z.coerce.number().int().min(1).max(20_000).default(2_000),
  /** Most deliveries one claim statement takes. */
  CLAIM_BATCH_SIZE: z.coerce.number().int().min(1).max(2_000).default(200),
  /** How often due deliveries are looked for when nothing woke the scheduler (retry punctuality). */
  POLL_INTERVAL_MS: z.coerce.number().int().min(5).max(60_000).default(50),
  /** Outcomes wait at most this long to be recorded together in one transaction. */
  FLUSH_INTERVAL_MS: z.coerce.number().int().min(1).max(5_000).default(20),
  /** Window of GET /webhooks/endpoints/{id}/stats. */
  STATS_WINDOW_MS: z.coerce.number().int().min(60_000).default(86_400_000),
});

export type Config = z.output<typeof schema>;

export function readConfig(env: Record<string, string | undefined> = process.env): Config {
  return loadConfig(schema, env);
}
