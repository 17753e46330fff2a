import type { ClaimedDelivery } from '../domain/dispatch-store.ts';
import { EndpointGate } from '../domain/endpoint-gate.ts';

/** Queued plus in flight, in rounds of the endpoint's concurrency, beyond which claims skip it. */
const SATURATED = 8;
/** Queued, in rounds of concurrency, at which an endpoint asks the claim loop for more. */
const REFILL_AT = 2;

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

  private readonly onDrained: () => void;

  /** `onDrained`: an endpoint that was skipped by claims has room again (claim more now). */
  constructor(
    concurrency: number,
    start: (delivery: ClaimedDelivery) => void,
    onDrained: () => void,
  ) {
    this.concurrency = concurrency;
    this.start = start;
    this.onDrained = onDrained;
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
    // Refill before the endpoint runs dry: a queue down to one round of slots asks for more.
    if ((this.queues.get(endpointId)?.length ?? 0) === this.concurrency * REFILL_AT)
      this.onDrained();
  }

  /** Endpoints with enough queued and in flight: the next claim leaves their deliveries alone. */
  saturated(): string[] {
    return [...this.queues.entries()]
      .filter(
        ([id, queue]) => queue.length + this.gate.inFlight(id) >= this.concurrency * SATURATED,
      )
      .map(([id]) => id);
  }

  /** Stops starting attempts; returns the deliveries that were waiting. */
  clear(): ClaimedDelivery[] {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    const waiting = [...this.queues.values()].flat();
    this.queues.clear();
    return waiting;
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
