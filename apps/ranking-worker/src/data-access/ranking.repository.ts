import { rankingKeys } from '@commerce/events';
import { TransientError } from '@commerce/kafka';
import type { Redis } from 'ioredis';
import type { RankingWriter } from '../domain/count-order.ts';

// KEYS[1]: the event's dedupe key; KEYS[2]: the day's sorted set.
// ARGV[1]: expiry (epoch ms); then productId, units pairs.
// The dedupe mark and the increments happen in one script, so Redis runs them atomically:
// a redelivery finds the mark and adds nothing, and a crash cannot leave one without the
// other. The day's expiry only ever moves later. (Single Redis: under Redis Cluster the two
// keys would need one hash tag.)
const COUNT_ONCE = `
if not redis.call('SET', KEYS[1], '1', 'NX', 'PXAT', ARGV[1]) then return 0 end
for i = 2, #ARGV, 2 do
  redis.call('ZINCRBY', KEYS[2], ARGV[i + 1], ARGV[i])
end
if redis.call('PEXPIRETIME', KEYS[2]) < tonumber(ARGV[1]) then
  redis.call('PEXPIREAT', KEYS[2], ARGV[1])
end
return 1`;

type RankingRedis = Redis & {
  rankingCountOnce(numKeys: 2, ...args: (string | number)[]): Promise<number>;
};

/**
 * Redis failures other than a script's own error are the connection's: retrying later can
 * help, so the consumer retries instead of stopping.
 */
export function asTransient(err: unknown): unknown {
  if (err instanceof Error && err.name === 'ReplyError') return err;
  return new TransientError(`redis unavailable: ${(err as Error)?.message}`, { cause: err });
}

export function createRankingWriter(redis: Redis, prefix: string): RankingWriter {
  if (!('rankingCountOnce' in redis)) redis.defineCommand('rankingCountOnce', { lua: COUNT_ONCE });
  const client = redis as RankingRedis;
  const keys = rankingKeys(prefix);
  return {
    async countOnce({ eventId, day, lines, expiresAt }) {
      try {
        const counted = await client.rankingCountOnce(
          2,
          keys.seen(eventId),
          keys.daily(day),
          expiresAt,
          ...lines.flatMap((line) => [line.productId, line.quantity]),
        );
        return counted === 1 ? 'counted' : 'duplicate';
      } catch (err) {
        throw asTransient(err);
      }
    },
  };
}
