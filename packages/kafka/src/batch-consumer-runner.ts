import type { EachBatchPayload, KafkaMessage } from 'kafkajs';
import type { Logger } from 'pino';
import { decodeSlice, type SliceEntry } from './batch-decode.ts';
import { BatchMetrics } from './batch-metrics.ts';
import type { BatchConsumerRunnerOptions, DecodedRecord } from './batch-types.ts';
import type { MessageRef } from './consumer-types.ts';
import { type AttemptOutcome, withRetries } from './retries.ts';
import { RunnerLifecycle } from './runner-lifecycle.ts';

export type {
  BatchConsumerRunnerOptions,
  BatchContext,
  BatchHandler,
  DecodedRecord,
} from './batch-types.ts';

/**
 * Runs one consumer group in batch mode: each partition's fetched messages are decoded and
 * handed to one handler call per slice of at most `maxRecords`; the slice's offsets are
 * committed only after the call resolves. Poison messages go to the dead-letter topic with
 * their coordinates; transient failures retry the slice, then pause the partition at its
 * first offset; a permanent failure of a slice retries it record by record, so only the
 * record that fails alone is dead-lettered; unknown failures stop the runner.
 */
export class BatchConsumerRunner extends RunnerLifecycle {
  private readonly options: BatchConsumerRunnerOptions;
  private readonly batchMetrics: BatchMetrics | undefined;

  constructor(options: BatchConsumerRunnerOptions) {
    super(options, {
      maxWaitTimeInMs: options.maxWaitMs ?? 500,
      minBytes: options.minBytes ?? 1,
    });
    this.options = options;
    this.batchMetrics = options.metrics ? new BatchMetrics(options.metrics) : undefined;
  }

  protected async handleBatch(payload: EachBatchPayload): Promise<void> {
    const { batch, heartbeat } = payload;
    this.metrics?.lag.set(
      { topic: batch.topic, partition: String(batch.partition) },
      Number(batch.offsetLag()),
    );
    const size = this.options.maxRecords ?? 1_000;
    for (let start = 0; start < batch.messages.length; start += size) {
      if (this.stopped(payload)) return;
      const handled = await this.handleSlice(payload, batch.messages.slice(start, start + size));
      if (!handled) return;
      await heartbeat();
    }
  }

  /** One slice: decode, flush, dead-letter the poison, commit. False when the partition stops. */
  private async handleSlice(payload: EachBatchPayload, messages: KafkaMessage[]) {
    const { topic, partition } = payload.batch;
    const first = messages[0] as KafkaMessage;
    const last = messages.at(-1) as KafkaMessage;
    const ref = { topic, partition, offset: first.offset };
    const log = this.base.logger.child({ topic, partition, firstOffset: first.offset });
    let entries: SliceEntry[] = [];
    const decoded = await this.retrying(ref, payload, log, async () => {
      entries = await decodeSlice(this.options, this.classify, payload.batch, messages);
    });
    if (!decoded.done) return this.stopAt(ref, decoded);

    const records = entries.flatMap((e) => (e.record ? [e.record] : []));
    if (records.length > 0) {
      const flushed = await this.flush(payload, records, [first.offset, last.offset], log);
      if (!flushed.done && flushed.kind !== 'permanent') return this.stopAt(ref, flushed);
      if (!flushed.done) return this.oneByOne(payload, entries, log);
    }
    for (const { message, error } of entries)
      if (error !== undefined) await this.deadLetter(payload, message, error, log);
    payload.resolveOffset(last.offset);
    await this.commit(payload, last.offset);
    this.pauser.succeeded(ref);
    return true;
  }

  /** After a permanent failure of a whole slice: each record alone, in order. */
  private async oneByOne(payload: EachBatchPayload, entries: SliceEntry[], log: Logger) {
    const { topic, partition } = payload.batch;
    let done: string | undefined;
    try {
      for (const { message, record, error } of entries) {
        const ref = { topic, partition, offset: message.offset };
        if (record) {
          const alone = await this.flush(payload, [record], [message.offset, message.offset], log);
          if (!alone.done && alone.kind !== 'permanent') return this.stopAt(ref, alone);
          if (!alone.done) await this.deadLetter(payload, message, alone.error, log);
        } else await this.deadLetter(payload, message, error, log);
        payload.resolveOffset(message.offset);
        done = message.offset;
      }
      this.pauser.succeeded(payload.batch);
      return true;
    } finally {
      if (done !== undefined) await this.commit(payload, done);
    }
  }

  private async flush(
    payload: EachBatchPayload,
    records: DecodedRecord[],
    [firstOffset, lastOffset]: [string, string],
    log: Logger,
  ): Promise<AttemptOutcome> {
    const { topic, partition } = payload.batch;
    const ref = { topic, partition, offset: firstOffset };
    const started = performance.now();
    const context = {
      log,
      topic,
      partition,
      firstOffset,
      lastOffset,
      heartbeat: payload.heartbeat,
    };
    const outcome = await this.retrying(ref, payload, log, () =>
      this.options.handleBatch(records, context),
    );
    if (!outcome.done) return outcome;
    const durationMs = performance.now() - started;
    this.metrics?.messages.inc({ topic, outcome: 'processed' }, records.length);
    this.batchMetrics?.records.observe({ topic }, records.length);
    this.batchMetrics?.flushSeconds.observe({ topic }, durationMs / 1_000);
    this.emit('flushed', { ...ref, lastOffset, records: records.length, durationMs });
    return outcome;
  }

  private retrying(
    ref: MessageRef,
    payload: EachBatchPayload,
    log: Logger,
    work: () => Promise<void>,
  ): Promise<AttemptOutcome> {
    return withRetries(work, {
      policy: this.retryPolicy,
      classify: this.classify,
      heartbeat: payload.heartbeat,
      onRetry: (attempt, error) => {
        log.warn({ err: error, attempt }, 'transient failure of a batch, retrying');
        this.metrics?.messages.inc({ topic: ref.topic, outcome: 'retried' });
        this.emit('retried', { ...ref, attempt, error });
      },
    });
  }

  private deadLetter(
    payload: EachBatchPayload,
    message: KafkaMessage,
    error: unknown,
    log: Logger,
  ) {
    const { topic, partition } = payload.batch;
    const messageLog = () => log.child({ offset: message.offset });
    return this.deadLetters.send({
      topic,
      partition,
      message,
      error,
      attempts: 1,
      log: messageLog,
    });
  }

  private stopAt(ref: MessageRef, outcome: AttemptOutcome & { done: false }): false {
    if (outcome.kind === 'unknown') this.fail(outcome.error);
    else this.pauser.pause(ref, outcome.error);
    return false;
  }
}
