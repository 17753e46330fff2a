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
