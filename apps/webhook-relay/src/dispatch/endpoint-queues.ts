import type { ClaimedDelivery } from '../domain/dispatch-store.ts';
import { EndpointGate } from '../domain/endpoint-gate.ts';

/**
 * Claimed deliveries waiting for their endpoint's slot or rate-limit token, one queue per
 * endpoint: `start` is called for each as soon as its endpoint's limits allow.
 */
export class EndpointQueues {
  private readonly queues = new Map<string, ClaimedDelivery[]>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly gate = new EndpointGate();
  private readonly concurrency: number;
  private readonly start: (delivery: ClaimedDelivery) => void;

  constructor(concurrency: number, start: (delivery: ClaimedDelivery) => void) {
    this.concurrency = concurrency;
    this.start = start;
  }

  push(delivery: ClaimedDelivery): void {
    const queue = this.queues.get(delivery.endpointId) ?? [];
    queue.push(delivery);
    this.queues.set(delivery.endpointId, queue);
    this.pump(delivery.endpointId);
  }

  /** An attempt of the endpoint finished: its slot is free. */
  done(endpointId: string): void {
    this.gate.release(endpointId);
    this.pump(endpointId);
  }

  /** Endpoints with enough queued and in flight: the next claim leaves their deliveries alone. */
  saturated(): string[] {
    return [...this.queues.entries()]
      .filter(([id, queue]) => queue.length + this.gate.inFlight(id) >= this.concurrency * 2)
      .map(([id]) => id);
  }

  clear(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  private pump(endpointId: string): void {
    const queue = this.queues.get(endpointId);
    if (this.timers.has(endpointId)) return;
    while (queue && queue.length > 0) {
      const head = queue[0] as ClaimedDelivery;
      const limits = { concurrency: this.concurrency, ratePerSecond: head.rateLimitPerSecond };
      const waitMs = this.gate.tryAcquire(endpointId, limits, performance.now());
      if (waitMs === Number.POSITIVE_INFINITY) return;
      if (waitMs > 0) {
        const timer = setTimeout(() => {
          this.timers.delete(endpointId);
          this.pump(endpointId);
        }, waitMs);
        this.timers.set(endpointId, timer);
        return;
      }
      queue.shift();
      this.start(head);
    }
    if (queue && queue.length === 0 && this.gate.inFlight(endpointId) === 0)
      this.queues.delete(endpointId);
  }
}
