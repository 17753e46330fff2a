import { TransientError } from '@commerce/kafka';
import type { RedisClient } from '@commerce/service';
import type { Logger } from 'pino';
import type { CouponResult, ResultBroadcast, ResultFeed } from '../domain/coupon-result.ts';

export interface ResultHubOptions {
  publisher: RedisClient;
  /** A connection of its own: a subscribed connection can do nothing else. */
  subscriber: RedisClient;
  logger: Logger;
  channel?: string;
}

export interface ResultHub extends ResultBroadcast, ResultFeed {
  /** Subscribes to the channel; results published before it are not received. */
  start(): Promise<void>;
}

/**
 * Gets every result to the coupon-api instance holding the shopper's SSE stream: the
 * instance that consumes a result publishes it on one Redis channel; every instance
 * subscribes and hands it to its own listeners for that user.
 */
export function createResultHub(options: ResultHubOptions): ResultHub {
  const channel = options.channel ?? 'coupon-results';
  const listeners = new Map<string, Set<(result: CouponResult) => void>>();
  return {
    async start() {
      options.subscriber.on('message', (from: string, message: string) => {
        if (from !== channel) return;
        try {
          // A batch of results per message (a single one from an instance of before batches).
          const parsed = JSON.parse(message) as CouponResult | CouponResult[];
          for (const result of Array.isArray(parsed) ? parsed : [parsed])
            for (const listener of listeners.get(result.userId) ?? []) listener(result);
        } catch (err) {
          options.logger.warn({ err }, 'unreadable result broadcast');
        }
      });
      await options.subscriber.subscribe(channel);
    },
    // A Redis failure (connection lost, command timed out) passes: the consumer retries the
    // result instead of treating it as a bug and exiting.
    publish: (results) =>
      options.publisher.publish(channel, JSON.stringify(results)).catch((err: unknown) => {
        throw new TransientError('broadcasting a result through Redis failed', { cause: err });
      }),
    listen(userId, listener) {
      const set = listeners.get(userId) ?? new Set();
      set.add(listener);
      listeners.set(userId, set);
      return () => {
        set.delete(listener);
        if (set.size === 0) listeners.delete(userId);
      };
    },
  };
}
