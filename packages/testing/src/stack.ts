import { join } from 'node:path';
import { afterAll } from 'vitest';

/**
 * Where the local stack (infra/local/stack.sh) listens. Integration tests read these and
 * fail loudly when a service is down: they never skip or fall back to a fake.
 */
export interface StackAddresses {
  kafkaBrokers: string[];
  schemaRegistryUrl: string;
  mysql: { host: string; port: number; user: string; password: string };
  redisUrl: string;
}

export function stackAddresses(env: NodeJS.ProcessEnv = process.env): StackAddresses {
  return {
    kafkaBrokers: (env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','),
    schemaRegistryUrl: env.SCHEMA_REGISTRY_URL ?? 'http://127.0.0.1:8081',
    mysql: {
      host: env.MYSQL_HOST ?? '127.0.0.1',
      port: Number(env.MYSQL_PORT ?? '3306'),
      user: env.MYSQL_USER ?? 'commerce',
      password: env.MYSQL_PASSWORD ?? 'commerce',
    },
    redisUrl: env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  };
}

/** A name no other test (or earlier run) uses: for topics, groups, databases and keys. */
export function uniqueName(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
}

/**
 * Names for the scratch subjects a test file registers in the shared schema registry; each
 * is deleted for good after the file's tests, so the registry the demo and services use
 * keeps only real subjects. Call at the top level of a test file.
 */
export function scratchSubjects(deleteSubject: (subject: string) => Promise<void>) {
  const created: string[] = [];
  afterAll(async () => {
    for (const subject of created) await deleteSubject(subject);
  });
  return (prefix: string): string => {
    const subject = uniqueName(prefix);
    created.push(subject);
    return subject;
  };
}

/** The folder of the local stack's logs: infra/local/stack.sh's `$COMMERCE_STACK_DIR/logs`. */
export function stackLogDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(
    env.COMMERCE_STACK_DIR ?? join(import.meta.dirname, '..', '..', '..', '.stack'),
    'logs',
  );
}

/** The settings every service under test takes from the stack: addresses, any port, quiet logs. */
export function serviceEnv(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const stack = stackAddresses(env);
  return {
    KAFKA_BROKERS: stack.kafkaBrokers.join(','),
    SCHEMA_REGISTRY_URL: stack.schemaRegistryUrl,
    REDIS_URL: stack.redisUrl,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: env.LOG_LEVEL ?? 'silent',
  };
}

/** The Redis commands deleteKeys needs (ioredis has them). */
interface ScanningRedis {
  scan(
    cursor: string,
    match: 'MATCH',
    pattern: string,
    count: 'COUNT',
    n: number,
  ): Promise<[string, string[]]>;
  del(...keys: string[]): Promise<number>;
}

/** Deletes every Redis key under `prefix` (never anything else: the stack's Redis is shared). */
export async function deleteKeys(redis: ScanningRedis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    if (keys.length > 0) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}
