import { EventEmitter } from 'node:events';
import type { Consumer, ConsumerConfig, EachBatchPayload, Producer } from 'kafkajs';
import type { ConsumerRunnerEvents, RunnerBaseOptions } from './consumer-types.ts';
import { DeadLetterer } from './dead-lettering.ts';
import { classifyFailure, type FailureKind } from './errors.ts';
import { ConsumerMetrics } from './metrics.ts';
import { PartitionPauser } from './partition-pauser.ts';
import { ProgressWatchdog } from './progress-watchdog.ts';
import { defaultRetryPolicy, type RetryPolicy } from './retries.ts';

/**
 * The life of one consumer group member: connect, subscribe, run the batch loop with
 * manual commits, stop on a failure nobody can classify, disconnect. What a batch does
 * is the subclass's (one handler per message, or one per slice of records).
 */
export abstract class RunnerLifecycle extends EventEmitter<ConsumerRunnerEvents> {
  protected readonly base: RunnerBaseOptions;
  protected readonly consumer: Consumer;
  protected readonly producer: Producer;
  protected readonly retryPolicy: RetryPolicy;
  protected readonly metrics: ConsumerMetrics | undefined;
  protected readonly pauser: PartitionPauser;
  protected readonly deadLetters: DeadLetterer;
  protected readonly classify: (err: unknown) => FailureKind;
  protected failed = false;
  private readonly watchdog: ProgressWatchdog;

  constructor(options: RunnerBaseOptions, fetch: Partial<ConsumerConfig> = {}) {
    super();
    this.base = options;
    const sessionTimeout = options.sessionTimeoutMs ?? 30_000;
    this.consumer = options.kafka.consumer({
      groupId: options.groupId,
      sessionTimeout,
      // Kafka's rule of thumb: at least three heartbeats per session timeout.
      heartbeatInterval: Math.min(3_000, Math.floor(sessionTimeout / 3)),
      allowAutoTopicCreation: false,
      ...fetch,
    });
    this.producer = options.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
    });
    this.retryPolicy = { ...defaultRetryPolicy, ...options.retry };
    this.metrics = options.metrics ? new ConsumerMetrics(options.metrics) : undefined;
    this.classify = options.classify ?? classifyFailure;
    this.pauser = new PartitionPauser({
      consumer: this.consumer,
      policy: { initialDelayMs: 1_000, maxDelayMs: 30_000, jitter: 0.2, ...options.pause },
      logger: options.logger,
      events: this,
      metrics: this.metrics,
    });
    // Silence this long means the session is long lost too: at least 2 min, 4 sessions.
    const stallMs = options.stallTimeoutMs ?? Math.max(120_000, 4 * sessionTimeout);
    this.watchdog = new ProgressWatchdog({
      stallMs,
      onStall: (silentForMs) =>
        this.fail(
          new Error(
            `the consumer made no progress for ${silentForMs} ms (no fetch, heartbeat or batch); kafkajs can hang after losing its broker, so the process stops to be restarted`,
          ),
        ),
    });
    this.deadLetters = new DeadLetterer({
      producer: this.producer,
      consumerGroup: options.groupId,
      deadLetterTopic: options.deadLetterTopic,
      events: this,
      metrics: this.metrics,
    });
  }

  async start(): Promise<void> {
    const { consumer } = this;
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (!payload.restart) this.fail(payload.error);
    });
    const { FETCH, HEARTBEAT, START_BATCH_PROCESS, END_BATCH_PROCESS, GROUP_JOIN } =
      consumer.events;
    for (const event of [FETCH, HEARTBEAT, START_BATCH_PROCESS, END_BATCH_PROCESS, GROUP_JOIN])
      consumer.on(event, () => this.watchdog.progressed());
    await this.producer.connect();
    await consumer.connect();
    // A new group starts at the beginning: every event written before it existed is consumed.
    await consumer.subscribe({ topics: [...this.base.topics], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.base.partitionsConsumedConcurrently ?? 3,
      eachBatch: (payload) => this.handleBatch(payload),
    });
    this.watchdog.start();
  }

  /** Stops fetching, lets in-flight messages finish and commit, then disconnects. */
  async stop(): Promise<void> {
    this.watchdog.stop();
    this.pauser.stop();
    await this.consumer.disconnect();
    await this.producer.disconnect();
  }

  protected abstract handleBatch(payload: EachBatchPayload): Promise<void>;

  /** Whether the batch loop should stop taking messages of this batch. */
  protected stopped({ isRunning, isStale }: EachBatchPayload): boolean {
    return !isRunning() || isStale() || this.failed;
  }

  // Through the batch's own commit: consumer.commitOffsets() silently drops commits once a
  // stop has begun, which would lose the commit of the last messages processed at shutdown.
  protected async commit(
    { batch: { topic, partition }, commitOffsetsIfNecessary }: EachBatchPayload,
    lastProcessed: string,
  ): Promise<void> {
    const offset = (BigInt(lastProcessed) + 1n).toString();
    await commitOffsetsIfNecessary({ topics: [{ topic, partitions: [{ partition, offset }] }] });
    this.emit('committed', { topic, partition, offset });
  }

  protected fail(error: unknown): void {
    if (this.failed) return;
    this.failed = true;
    this.watchdog.stop();
    const err = error instanceof Error ? error : new Error(String(error));
    this.base.logger.error(
      { err },
      'consumer stopped: unknown failure; the message stays uncommitted',
    );
    this.consumer.pause(this.base.topics.map((topic) => ({ topic })));
    this.emit('fatal', err);
    this.base.onFatal(err);
  }
}
