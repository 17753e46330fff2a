import { EventEmitter } from 'node:events';
import {
  type DecodedEvent,
  type EventCodec,
  type EventHeaders,
  type EventPayloads,
  type EventType,
  fromKafkaHeaders,
} from '@commerce/events';
import type { Batch, Consumer, EachBatchPayload, Kafka, KafkaMessage, Producer } from 'kafkajs';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { type BackoffPolicy, backoffDelay, waitWithHeartbeat } from './backoff.ts';
import { toDeadLetter } from './dead-letter.ts';
import { classifyFailure, errorCode, type FailureKind, PermanentError } from './errors.ts';
import { ConsumerMetrics } from './metrics.ts';

export interface HandlerContext {
  log: Logger;
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  headers: Partial<EventHeaders>;
}

export type EventHandler<T extends EventType> = (
  event: EventPayloads[T],
  context: HandlerContext,
) => Promise<void>;
export type EventHandlers = { [T in EventType]?: EventHandler<T> };

export interface MessageRef {
  topic: string;
  partition: number;
  offset: string;
}

/** What the runner reports; tests await these instead of sleeping. */
export interface ConsumerRunnerEvents {
  processed: [MessageRef & { eventType: EventType; eventId: string }];
  retried: [MessageRef & { attempt: number; error: unknown }];
  'dead-lettered': [MessageRef & { errorCode: string; error: unknown }];
  paused: [MessageRef & { resumeInMs: number; error: unknown }];
  committed: [MessageRef];
  fatal: [Error];
}

export interface ConsumerRunnerOptions {
  kafka: Kafka;
  groupId: string;
  topics: readonly string[];
  deadLetterTopic: string;
  codec: EventCodec;
  handlers: EventHandlers;
  logger: Logger;
  /** Called once when the runner gave up (a bug, or kafkajs crashed for good): exit so the process restarts. */
  onFatal: (err: Error) => void;
  /** The seed's concurrency: partitions processed at once. */
  partitionsConsumedConcurrently?: number;
  /** In-place retries of a transient failure; short enough to stay far inside the session timeout. */
  retry?: Partial<BackoffPolicy> & { attempts?: number };
  /** Pause of a partition after its in-place retries ran out, before it tries again. */
  pause?: Partial<BackoffPolicy>;
  /**
   * Within a long batch, commit at least this often (and always at the end of a batch).
   * Each commit is a round trip the partition waits for, so a per-N-messages rule capped
   * throughput (docs/benchmarks.md); after a crash at most this much work is redone, which
   * idempotent handlers absorb.
   */
  commitIntervalMs?: number;
  /** How long a silent member keeps its partitions: a crashed process's partitions wait this long. */
  sessionTimeoutMs?: number;
  classify?: (err: unknown) => FailureKind;
  metrics?: Registry;
}

type Outcome = { done: true } | { done: false; kind: 'transient' | 'unknown'; error: unknown };

/**
 * Runs one consumer group: decode, dispatch by event type, commit offsets only after the
 * handler's effect is done. Poison messages (undecodable, unexpected type, permanent
 * failures) go to the dead-letter topic and the partition moves on; transient failures are
 * retried in place, then the partition is paused and retried later from the same offset;
 * unknown failures stop the runner with the message uncommitted and call `onFatal`.
 */
export class ConsumerRunner extends EventEmitter<ConsumerRunnerEvents> {
  private readonly options: ConsumerRunnerOptions;
  private readonly consumer: Consumer;
  private readonly producer: Producer;
  private readonly retry: BackoffPolicy & { attempts: number };
  private readonly pausePolicy: BackoffPolicy;
  private readonly metrics: ConsumerMetrics | undefined;
  private readonly pausedTimes = new Map<string, number>();
  private readonly resumeTimers = new Set<NodeJS.Timeout>();
  private failed = false;

  constructor(options: ConsumerRunnerOptions) {
    super();
    this.options = options;
    this.consumer = options.kafka.consumer({
      groupId: options.groupId,
      sessionTimeout: options.sessionTimeoutMs ?? 30_000,
      // Kafka's rule of thumb: at least three heartbeats per session timeout.
      heartbeatInterval: Math.min(3_000, Math.floor((options.sessionTimeoutMs ?? 30_000) / 3)),
      allowAutoTopicCreation: false,
    });
    this.producer = options.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
    });
    this.retry = {
      attempts: 3,
      initialDelayMs: 200,
      maxDelayMs: 2_000,
      jitter: 0.2,
      ...options.retry,
    };
    this.pausePolicy = { initialDelayMs: 1_000, maxDelayMs: 30_000, jitter: 0.2, ...options.pause };
    this.metrics = options.metrics ? new ConsumerMetrics(options.metrics) : undefined;
  }

  async start(): Promise<void> {
    const { consumer } = this;
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (!payload.restart) this.fail(payload.error);
    });
    await this.producer.connect();
    await consumer.connect();
    // A new group starts at the beginning: every event written before it existed is consumed.
    await consumer.subscribe({ topics: [...this.options.topics], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 3,
      eachBatch: (payload) => this.handleBatch(payload),
    });
  }

  /** Stops fetching, lets in-flight messages finish and commit, then disconnects. */
  async stop(): Promise<void> {
    for (const timer of this.resumeTimers) clearTimeout(timer);
    await this.consumer.disconnect();
    await this.producer.disconnect();
  }

  private async handleBatch(payload: EachBatchPayload) {
    const { batch, resolveOffset, heartbeat, isRunning, isStale } = payload;
    const { topic, partition } = batch;
    this.metrics?.lag.set({ topic, partition: String(partition) }, Number(batch.offsetLag()));
    let uncommitted: string | undefined;
    let lastCommit = Date.now();
    try {
      for (const message of batch.messages) {
        if (!isRunning() || isStale() || this.failed) break;
        const outcome = await this.handleMessage(batch, message, heartbeat);
        if (!outcome.done) {
          if (outcome.kind === 'unknown') this.fail(outcome.error);
          else this.pausePartition(batch, message, outcome.error);
          break;
        }
        resolveOffset(message.offset);
        uncommitted = message.offset;
        if (Date.now() - lastCommit >= (this.options.commitIntervalMs ?? 1_000)) {
          await this.commit(payload, uncommitted);
          uncommitted = undefined;
          lastCommit = Date.now();
        }
        await heartbeat();
      }
    } finally {
      if (uncommitted !== undefined) await this.commit(payload, uncommitted);
    }
  }

  // Through the batch's own commit: consumer.commitOffsets() silently drops commits once a
  // stop has begun, which would lose the commit of the last messages processed at shutdown.
  private async commit(
    { batch: { topic, partition }, commitOffsetsIfNecessary }: EachBatchPayload,
    lastProcessed: string,
  ) {
    const offset = (BigInt(lastProcessed) + 1n).toString();
    await commitOffsetsIfNecessary({ topics: [{ topic, partitions: [{ partition, offset }] }] });
    this.emit('committed', { topic, partition, offset });
  }

  /** Decodes and handles one message, retrying transient failures in place. */
  private async handleMessage(
    batch: Batch,
    message: KafkaMessage,
    heartbeat: () => Promise<void>,
  ): Promise<Outcome> {
    const ref = { topic: batch.topic, partition: batch.partition, offset: message.offset };
    const headers = fromKafkaHeaders(message.headers);
    // Built on first use only: pino serialises a child's bindings when it is created, and
    // creating two children per message cost ~20% of the consumer's throughput.
    let child: Logger | undefined;
    const log = () => {
      child ??= this.options.logger.child({
        ...ref,
        eventId: headers.eventId,
        correlationId: headers.correlationId,
      });
      return child;
    };
    const classify = this.options.classify ?? classifyFailure;

    for (let attempt = 1; ; attempt++) {
      try {
        await this.dispatch(ref, message, headers, log);
        this.pausedTimes.delete(partitionKey(ref));
        return { done: true };
      } catch (error) {
        const kind = classify(error);
        if (kind === 'permanent') {
          await this.deadLetter(batch, message, error, attempt, log);
          return { done: true };
        }
        if (kind === 'unknown' || attempt >= this.retry.attempts)
          return { done: false, kind, error };
        log().warn({ err: error, attempt }, 'transient failure, retrying');
        this.metrics?.messages.inc({ topic: ref.topic, outcome: 'retried' });
        this.emit('retried', { ...ref, attempt, error });
        await waitWithHeartbeat(backoffDelay(attempt, this.retry), heartbeat);
      }
    }
  }

  private async dispatch(
    ref: MessageRef,
    message: KafkaMessage,
    headers: Partial<EventHeaders>,
    log: () => Logger,
  ) {
    const event: DecodedEvent = await this.options.codec.decode(message.value);
    const handler = this.options.handlers[event.type] as
      | EventHandler<typeof event.type>
      | undefined;
    if (!handler) {
      throw new PermanentError(
        'UNEXPECTED_EVENT_TYPE',
        `${this.options.groupId} does not handle ${event.type}`,
      );
    }
    let handlerLog: Logger | undefined;
    const context: HandlerContext = {
      ...ref,
      get log() {
        handlerLog ??= log().child({ eventType: event.type });
        return handlerLog;
      },
      key: message.key?.toString() ?? null,
      headers,
    };
    const endTimer = this.metrics?.handlerSeconds.startTimer({
      topic: ref.topic,
      event_type: event.type,
    });
    await handler(event.payload as never, context);
    endTimer?.();
    this.metrics?.messages.inc({ topic: ref.topic, outcome: 'processed' });
    this.emit('processed', { ...ref, eventType: event.type, eventId: event.payload.eventId });
  }

  private async deadLetter(
    batch: Batch,
    message: KafkaMessage,
    error: unknown,
    attempts: number,
    log: () => Logger,
  ) {
    const code = errorCode(error);
    const deadLetter = toDeadLetter({
      topic: batch.topic,
      partition: batch.partition,
      message,
      consumerGroup: this.options.groupId,
      errorCode: code,
      errorMessage: error instanceof Error ? error.message : String(error),
      attempts,
    });
    // A dead letter that cannot be written must not be skipped: the failure propagates, the
    // offset stays uncommitted and kafkajs retries the batch.
    await this.producer.send({
      topic: this.options.deadLetterTopic,
      acks: -1,
      messages: [deadLetter],
    });
    log().warn(
      { err: error, errorCode: code, deadLetterTopic: this.options.deadLetterTopic },
      'message dead-lettered',
    );
    this.metrics?.messages.inc({ topic: batch.topic, outcome: 'dead_lettered' });
    this.emit('dead-lettered', {
      topic: batch.topic,
      partition: batch.partition,
      offset: message.offset,
      errorCode: code,
      error,
    });
  }

  /** Stops this partition after its in-place retries ran out; it resumes from the same offset later. */
  private pausePartition(batch: Batch, message: KafkaMessage, error: unknown) {
    const ref = { topic: batch.topic, partition: batch.partition, offset: message.offset };
    const times = (this.pausedTimes.get(partitionKey(ref)) ?? 0) + 1;
    this.pausedTimes.set(partitionKey(ref), times);
    const resumeInMs = backoffDelay(times, this.pausePolicy);
    const partitions = [{ topic: ref.topic, partitions: [ref.partition] }];
    this.consumer.pause(partitions);
    this.consumer.seek({ topic: ref.topic, partition: ref.partition, offset: ref.offset });
    const timer = setTimeout(() => {
      this.resumeTimers.delete(timer);
      this.consumer.resume(partitions);
    }, resumeInMs);
    this.resumeTimers.add(timer);
    this.options.logger.warn(
      { ...ref, err: error, resumeInMs },
      'partition paused after transient failures',
    );
    this.metrics?.messages.inc({ topic: ref.topic, outcome: 'paused' });
    this.emit('paused', { ...ref, resumeInMs, error });
  }

  private fail(error: unknown) {
    if (this.failed) return;
    this.failed = true;
    const err = error instanceof Error ? error : new Error(String(error));
    this.options.logger.error(
      { err },
      'consumer stopped: unknown failure; the message stays uncommitted',
    );
    this.consumer.pause(this.options.topics.map((topic) => ({ topic })));
    this.emit('fatal', err);
    this.options.onFatal(err);
  }
}

function partitionKey(ref: MessageRef): string {
  return `${ref.topic}:${ref.partition}`;
}
