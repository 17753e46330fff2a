import type { Redis } from 'ioredis';
import type { Logger } from 'pino';

/** A decided request, as shoppers receive it. */
export interface CouponResult {
  requestId: string;
  couponId: string;
  userId: string;
  sequence: number;
  status: 'COMPLETED' | 'FAILED';
  reason: string | null;
  userCouponId: string | null;
  completedAt: string;
}

type Listener = (result: CouponResult) => void;

/**
 * Gets every result to the coupon-api instance holding the shopper's SSE stream: the
 * instance that consumes a result publishes it on one Redis channel; every instance
 * subscribes and hands it to its own listeners for that user.
 */
export class ResultHub {
  private readonly publisher: Redis;
  private readonly subscriber: Redis;
  private readonly channel: string;
  private readonly logger: Logger;
  private readonly listeners = new Map<string, Set<Listener>>();

  constructor(options: { publisher: Redis; subscriber: Redis; logger: Logger; channel?: string }) {
    this.publisher = options.publisher;
    this.subscriber = options.subscriber;
    this.logger = options.logger;
    this.channel = options.channel ?? 'coupon-results';
  }

  async start(): Promise<void> {
    this.subscriber.on('message', (channel: string, message: string) => {
      if (channel !== this.channel) return;
      try {
        const result = JSON.parse(message) as CouponResult;
        for (const listener of this.listeners.get(result.userId) ?? []) listener(result);
      } catch (err) {
        this.logger.warn({ err }, 'unreadable result broadcast');
      }
    });
    await this.subscriber.subscribe(this.channel);
  }

  publish(result: CouponResult): Promise<number> {
    return this.publisher.publish(this.channel, JSON.stringify(result));
  }

  /** Listens for one user's results; returns the function that stops listening. */
  listen(userId: string, listener: Listener): () => void {
    const set = this.listeners.get(userId) ?? new Set();
    set.add(listener);
    this.listeners.set(userId, set);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(userId);
    };
  }

  get connectedUsers(): number {
    return this.listeners.size;
  }
}
