import type { WorkerPart } from '@commerce/service';
import type { Logger } from 'pino';
import { decideAttempt } from '../domain/attempt-outcome.ts';
import type { AttemptResult, ClaimedDelivery, DispatchStore } from '../domain/dispatch-store.ts';
import type { RetrySchedule } from '../domain/retry-schedule.ts';
import { EndpointQueues } from './endpoint-queues.ts';
import type { DispatchMetrics } from './metrics.ts';
import type { Sender } from './sender.ts';

/** Flush transactions in flight at once: enough to overlap one commit with the next flush. */
const MAX_PARALLEL_FLUSHES = 2;
/** Pause after a failed flush (the database is down or busy) before its outcomes are retried. */
const FLUSH_RETRY_MS = 500;

export interface SchedulerOptions {
  store: DispatchStore;
  sender: Sender;
  logger: Logger;
  metrics: DispatchMetrics;
  schedule: RetrySchedule;
  /** Most deliveries one claim takes. */
  batchSize: number;
  /** Deliveries of this replica between claim and recorded outcome. */
  maxInFlight: number;
  endpointConcurrency: number;
  /** How long a claim holds a delivery before another replica may take it over. */
  leaseMs: number;
  /** How often the database is asked for due deliveries when nothing woke the scheduler. */
  pollIntervalMs: number;
  /** Outcomes wait at most this long to be recorded together. */
  flushIntervalMs: number;
  /** Outcomes recorded in one flush at most (a bigger backlog flushes at once). */
  flushMaxResults: number;
  random?: () => number;
}

/**
 * Sends due deliveries: claims them in batches from the database (where every due time
 * lives, so a restart loses no retry and replicas share the work), POSTs them concurrently
 * within each endpoint's limits, and records their outcomes in batched flushes. Nothing
 * here sleeps in the Kafka handler: the consumer only records deliveries and wakes this.
 */
export class DeliveryScheduler implements WorkerPart {
  private readonly options: SchedulerOptions;
  private readonly queues: EndpointQueues;
  private readonly random: () => number;
  private results: AttemptResult[] = [];
  private pending = 0;
  private running = false;
  private loopDone: Promise<void> = Promise.resolve();
  private wakeUp: (() => void) | undefined;
  private flushTimer: NodeJS.Timeout | undefined;
  private activeFlushes = 0;
  private readonly flushes = new Set<Promise<void>>();
  private readonly attempts = new Set<Promise<void>>();

  constructor(options: SchedulerOptions) {
    this.options = options;
    this.random = options.random ?? Math.random;
    this.queues = new EndpointQueues(
      options.endpointConcurrency,
      (d) => this.attempt(d),
      () => this.wake(),
    );
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loopDone = this.loop();
  }

  /** New or replayed deliveries are due: claim now rather than at the next poll. */
  wake(): void {
    this.wakeUp?.();
  }

  /** Stops claiming, lets the attempts in flight finish and records them. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loopDone;
    // Deliveries claimed but not started go back to due now, for this or another replica.
    const unsent = this.queues.clear();
    await Promise.allSettled([...this.attempts]);
    await this.drain();
    if (unsent.length > 0) {
      await this.options.store
        .release(unsent, new Date())
        .catch((err: unknown) =>
          this.options.logger.warn({ err }, 'releasing unsent claims failed; their leases expire'),
        );
      this.pending -= unsent.length;
    }
  }

  private async loop(): Promise<void> {
    const { store, logger, batchSize, maxInFlight, leaseMs, pollIntervalMs } = this.options;
    while (this.running) {
      const limit = Math.min(batchSize, maxInFlight - this.pending);
      let claimed: ClaimedDelivery[] = [];
      if (limit > 0) {
        try {
          claimed = await store.claimDue({
            limit,
            leaseMs,
            skipEndpoints: this.queues.saturated(),
            now: new Date(),
          });
        } catch (err) {
          logger.warn({ err }, 'claiming due deliveries failed; retrying');
        }
        this.pending += claimed.length;
        for (const delivery of claimed) this.queues.push(delivery);
      }
      if (claimed.length === 0 || claimed.length < limit) await this.idle(pollIntervalMs);
    }
  }

  private idle(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = done;
    });
  }

  private attempt(delivery: ClaimedDelivery): void {
    const run = this.send(delivery).finally(() => {
      this.attempts.delete(run);
      this.queues.done(delivery.endpointId);
    });
    this.attempts.add(run);
  }

  private async send(delivery: ClaimedDelivery): Promise<void> {
    const startedAt = new Date();
    const started = performance.now();
    const sent = await this.options.sender.send(delivery, startedAt);
    const latencyMs = Math.round(performance.now() - started);
    const attemptNo = delivery.attempts + 1;
    const decision = decideAttempt({
      result: sent.result,
      attempt: attemptNo,
      schedule: this.options.schedule,
      now: Date.now(),
      random: this.random(),
    });
    this.options.metrics.observeAttempt(
      decision,
      latencyMs,
      startedAt.getTime() - delivery.dueAt.getTime(),
    );
    this.results.push({
      delivery,
      attempt: {
        attemptNo,
        dueAt: delivery.dueAt,
        startedAt,
        statusCode: sent.statusCode,
        latencyMs,
        outcome: decision.outcome,
        error: sent.error,
        responseBody: sent.responseBody,
      },
      decision,
      nextAttemptAt:
        decision.status === 'FAILED' ? new Date(Date.now() + decision.retryInMs) : null,
    });
    if (this.results.length >= this.options.flushMaxResults) this.flush();
    else this.flushTimer ??= setTimeout(() => this.flush(), this.options.flushIntervalMs);
  }

  /**
   * Records the buffered outcomes in one transaction; up to MAX_PARALLEL_FLUSHES run at
   * once, so one flush's commit (an fsync) overlaps the next one's statements. A failed
   * flush keeps its outcomes for the next.
   */
  private flush(): void {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    if (this.results.length === 0 || this.activeFlushes >= MAX_PARALLEL_FLUSHES) return;
    const batch = this.results;
    this.results = [];
    this.activeFlushes += 1;
    const run = this.record(batch).finally(() => {
      this.activeFlushes -= 1;
      this.flushes.delete(run);
      if (this.results.length >= this.options.flushMaxResults) this.flush();
      else if (this.results.length > 0)
        this.flushTimer ??= setTimeout(() => this.flush(), this.options.flushIntervalMs);
    });
    this.flushes.add(run);
  }

  private async record(batch: AttemptResult[]): Promise<void> {
    try {
      const disabled = await this.options.store.recordAttempts(batch, new Date());
      this.pending -= batch.length;
      for (const id of disabled) this.options.logger.warn({ endpointId: id }, 'endpoint disabled');
      this.wake(); // an ordered endpoint's next delivery may be due now
    } catch (err) {
      this.options.logger.warn(
        { err, results: batch.length },
        'recording attempts failed; retrying',
      );
      this.results = [...batch, ...this.results];
      await new Promise((resolve) => setTimeout(resolve, FLUSH_RETRY_MS));
    }
  }

  /** Flushes until every outcome is recorded (at shutdown). */
  private async drain(): Promise<void> {
    while (this.results.length > 0 || this.flushes.size > 0) {
      this.flush();
      await Promise.allSettled([...this.flushes]);
    }
  }
}
