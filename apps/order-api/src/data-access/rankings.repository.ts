import { rankingKeys } from '@commerce/events';
import type { Redis } from 'ioredis';
import type { RankingReader } from '../domain/top-products.ts';

// KEYS[1]: the window's cache key; KEYS[2..]: the daily keys. ARGV: cache ms, limit.
// Sums the daily keys once per cache period (ZUNIONSTORE), then reads the top of the sum;
// with a cache of 0 the sum is dropped right after the read. One script: one round trip,
// and no reader ever sees a half-built sum.
const TOP_OF_WINDOW = `
local cacheMs = tonumber(ARGV[1])
if redis.call('EXISTS', KEYS[1]) == 0 then
  redis.call('ZUNIONSTORE', KEYS[1], #KEYS - 1, unpack(KEYS, 2))
  if cacheMs > 0 then redis.call('PEXPIRE', KEYS[1], cacheMs) end
end
local top = redis.call('ZREVRANGE', KEYS[1], 0, tonumber(ARGV[2]) - 1, 'WITHSCORES')
if cacheMs == 0 then redis.call('DEL', KEYS[1]) end
return top`;

type RankingRedis = Redis & {
  rankingTopOfWindow(numKeys: number, ...args: (string | number)[]): Promise<string[]>;
};

export interface RankingKeysOptions {
  /** Prefix of every ranking key, shared with ranking-worker (e.g. "ranking:"). */
  prefix: string;
  cacheMs: number;
}

/** Reads the ranking that ranking-worker writes: one sorted set per day, product → units. */
export function createRankingReader(redis: Redis, options: RankingKeysOptions): RankingReader {
  if (!('rankingTopOfWindow' in redis)) {
    redis.defineCommand('rankingTopOfWindow', { lua: TOP_OF_WINDOW });
  }
  const client = redis as RankingRedis;
  const keys = rankingKeys(options.prefix);
  return {
    async top(days, limit) {
      const dailyKeys = days.map(keys.daily);
      const cacheKey = keys.window(days.at(-1) as string, days[0] as string);
      const flat = await client.rankingTopOfWindow(
        dailyKeys.length + 1,
        cacheKey,
        ...dailyKeys,
        options.cacheMs,
        limit,
      );
      const top: { productId: string; quantity: number }[] = [];
      for (let i = 0; i < flat.length; i += 2) {
        top.push({ productId: flat[i] as string, quantity: Number(flat[i + 1]) });
      }
      return top;
    },
  };
}
