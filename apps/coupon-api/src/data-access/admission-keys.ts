import type { RedisClient } from '@commerce/service';

/**
 * The Redis keys of a coupon's queue. They share the hash tag `{coupon:<id>}`, so they live
 * in one Redis Cluster slot and one script can touch them all (coupon-worker's user locks
 * of the coupon use the same tag).
 */
export function admissionKeys(couponId: string): [string, string, string, string] {
  const tag = `{coupon:${couponId}}`;
  return [`${tag}:admitted`, `${tag}:remaining`, `${tag}:sequence`, `${tag}:epoch`];
}

type Script = (...keysAndArgs: (string | number)[]) => Promise<unknown>;

/** Registers a script over the four keys once (ioredis runs it by its SHA, falling back to the source). */
export function defineScript(redis: RedisClient, name: string, lua: string): Script {
  if (!(name in redis)) redis.defineCommand(name, { numberOfKeys: 4, lua });
  const command = (redis as unknown as Record<string, Script>)[name] as Script;
  return command.bind(redis);
}
