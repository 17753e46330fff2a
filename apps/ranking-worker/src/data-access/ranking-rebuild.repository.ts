import { randomUUID } from 'node:crypto';
import { rankingKeys } from '@commerce/events';
import type { Redis } from 'ioredis';
import type { RankingRebuilder } from '../domain/rebuild-rankings.ts';

const CHUNK = 1_000;

export function createRankingRebuilder(redis: Redis, prefix: string): RankingRebuilder {
  const keys = rankingKeys(prefix);
  return {
    async replaceDay({ day, units, counted, expiresAt }) {
      // First the dedupe marks: from here on a late delivery of these orders is skipped,
      // and the swap below brings their units. (Marks without the swap, after a crash, are
      // repaired by running the rebuild again.)
      for (let i = 0; i < counted.length; i += CHUNK) {
        const pipeline = redis.pipeline();
        for (const { eventId, expiresAt: at } of counted.slice(i, i + CHUNK))
          pipeline.set(keys.seen(eventId), '1', 'PXAT', at);
        await pipeline.exec();
      }
      const daily = keys.daily(day);
      if (units.size === 0) {
        await redis.del(daily);
        return;
      }
      // The new scores are built aside and renamed over the day's key in one step, so
      // readers see the old ranking or the new one, never half of it.
      const staging = `${prefix}rebuild:${day}:${randomUUID()}`;
      const entries = [...units];
      for (let i = 0; i < entries.length; i += CHUNK) {
        const args = entries.slice(i, i + CHUNK).flatMap(([productId, n]) => [n, productId]);
        await redis.zadd(staging, ...args);
      }
      await redis.pexpire(staging, 3_600_000); // a crash before the rename leaves no litter
      await redis.multi().rename(staging, daily).pexpireat(daily, expiresAt).exec();
    },
  };
}
