import { Cluster, Redis, type RedisOptions } from 'ioredis';
import { booleanFromEnv } from './config.ts';

/** A connection to one Redis server or to a Redis Cluster: the commands the services use are the same. */
export type RedisClient = Redis | Cluster;

/**
 * REDIS_CLUSTER: "true" when REDIS_URL names the seed nodes of a Redis Cluster
 * (`redis://host1:7000,redis://host2:7001`; one node is enough, the client finds the rest).
 */
export const redisClusterEnv = booleanFromEnv.default(false);

export interface RedisClientOptions {
  cluster: boolean;
  /** Per command: how often it is retried while the connection is down before it fails. */
  maxRetriesPerRequest?: number | null;
}

/**
 * Connects to REDIS_URL as one server or, with `cluster`, as a Redis Cluster. Commands sent
 * in the same event-loop turn leave in one write (auto-pipelining): under a rush, one socket
 * write per request was the largest single cost of coupon-api's admission (a CPU profile).
 */
export function createRedisClient(url: string, options: RedisClientOptions): RedisClient {
  const redisOptions: RedisOptions = {
    enableAutoPipelining: true,
    ...(options.maxRetriesPerRequest === undefined
      ? {}
      : { maxRetriesPerRequest: options.maxRetriesPerRequest }),
  };
  if (!options.cluster) return new Redis(url, redisOptions);
  const seeds = url.split(',').map((seed) => new URL(seed.trim()));
  const first = seeds[0] as URL;
  return new Cluster(
    seeds.map((seed) => ({ host: seed.hostname, port: Number(seed.port || 6379) })),
    {
      enableAutoPipelining: true,
      redisOptions: {
        ...redisOptions,
        ...(first.username ? { username: decodeURIComponent(first.username) } : {}),
        ...(first.password ? { password: decodeURIComponent(first.password) } : {}),
        ...(first.protocol === 'rediss:' ? { tls: {} } : {}),
      },
    },
  );
}
