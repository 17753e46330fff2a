// What `pnpm bench:report` (report.ts) runs and what it says about where it ran: the bench
// commands with their quick sizes, and the versions of the parts measured.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stackAddresses } from '@commerce/testing';
import { Redis } from 'ioredis';
import { createConnection } from 'mariadb';
import { parse } from 'yaml';

export const repoRoot = join(import.meta.dirname, '..', '..');

export interface Bench {
  name: string;
  filter: string;
  script: string;
  args?: string[];
  quickArgs?: string[];
  /** Set in both modes (quickEnv wins in a quick run). */
  env?: Record<string, string>;
  quickEnv?: Record<string, string>;
}

// In the order of docs/benchmarks.md. Quick sizes: the smallest each method still works at.
export const BENCHES: Bench[] = [
  {
    name: 'kafka',
    filter: '@commerce/kafka',
    script: 'bench',
    quickEnv: { BENCH_PRODUCER_RECORDS: '20000', BENCH_CONSUMER_MESSAGES: '20000' },
  },
  { name: 'outbox', filter: '@commerce/outbox', script: 'bench', quickArgs: ['2000'] },
  {
    name: 'shopper tokens',
    filter: '@commerce/service',
    script: 'bench',
    quickEnv: { BENCH_TOKENS: '500' },
  },
  {
    name: 'analytics-worker',
    filter: '@commerce/analytics-worker',
    script: 'bench',
    // The per-event side is timed over its first 3,000 events: no fewer.
    quickArgs: ['3000', '1'],
  },
  {
    name: 'ranking-worker',
    filter: '@commerce/ranking-worker',
    script: 'bench',
    quickArgs: ['3000'],
  },
  { name: 'order-api', filter: '@commerce/order-api', script: 'bench', quickArgs: ['300', '3'] },
  {
    name: 'coupon-api',
    filter: '@commerce/coupon-api',
    script: 'bench',
    quickEnv: { BENCH_SECONDS: '3', BENCH_TOKENS: '10000' },
  },
  {
    name: 'coupon-worker drain',
    filter: '@commerce/coupon-worker',
    script: 'bench',
    quickEnv: { BENCH_DRAIN_REQUESTS: '400' },
  },
  {
    name: 'coupon-worker rush',
    filter: '@commerce/coupon-worker',
    script: 'bench:rush',
    quickEnv: { BENCH_RUSH_COUPONS: '1000' },
  },
  { name: 'gateway', filter: '@commerce/infra', script: 'bench', quickEnv: { BENCH_SECONDS: '2' } },
  {
    name: 'webhook-relay',
    filter: '@commerce/webhook-relay',
    script: 'bench',
    quickArgs: ['500', '1', '32'],
  },
];
// A bench that hangs past its own deadline (10-20 min) is killed here.
export const BENCH_TIMEOUT_MS = 30 * 60_000;

/** A version, or "unknown" when its source is not reachable: the report still gets written. */
async function tryVersion(what: () => Promise<string> | string): Promise<string> {
  try {
    return (await what()).trim() || 'unknown';
  } catch {
    return 'unknown';
  }
}

export async function versions(): Promise<Record<string, string>> {
  const stack = stackAddresses();
  const catalog = (parse(readFileSync(join(repoRoot, 'pnpm-workspace.yaml'), 'utf8')).catalog ??
    {}) as Record<string, string>;
  const kafkaLibs = process.env.KAFKA_LIBS ?? '';
  return {
    Node: process.version.slice(1),
    pnpm: await tryVersion(() => execFileSync('pnpm', ['--version'], { encoding: 'utf8' })),
    Kafka: await tryVersion(
      () =>
        readdirSync(kafkaLibs)
          .map((f) => f.match(/^kafka-clients-(.+)\.jar$/)?.[1])
          .find(Boolean) ?? '',
    ),
    MariaDB: await tryVersion(async () => {
      const conn = await createConnection({ ...stack.mysql, connectTimeout: 5_000 });
      try {
        const [row] = await conn.query('SELECT VERSION() AS v');
        return String(row.v);
      } finally {
        await conn.end();
      }
    }),
    Redis: await tryVersion(async () => {
      const redis = new Redis(stack.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
      try {
        await redis.connect();
        return (await redis.info('server')).match(/redis_version:(\S+)/)?.[1] ?? '';
      } finally {
        redis.disconnect();
      }
    }),
    // nginx prints its version on stderr.
    nginx: await tryVersion(
      () =>
        execFileSync('sh', ['-c', 'nginx -v 2>&1'], { encoding: 'utf8' }).match(
          /nginx\/(\S+)/,
        )?.[1] ?? '',
    ),
    ...Object.fromEntries(
      ['kafkajs', 'fastify', 'ioredis', 'mariadb', 'prisma', 'undici', 'autocannon']
        .filter((name) => catalog[name])
        .map((name) => [
          `${name === 'mariadb' ? 'mariadb (driver)' : name}`,
          catalog[name] as string,
        ]),
    ),
  };
}
