import type { EventEmitter } from 'node:events';
import type { Consumer } from 'kafkajs';
import type { Logger } from 'pino';
import { type BackoffPolicy, backoffDelay } from './backoff.ts';
import { type ConsumerRunnerEvents, type MessageRef, partitionKey } from './consumer-types.ts';
import type { ConsumerMetrics } from './metrics.ts';

export interface PartitionPauserOptions {
  consumer: Consumer;
  policy: BackoffPolicy;
  logger: Logger;
  events: EventEmitter<ConsumerRunnerEvents>;
  metrics: ConsumerMetrics | undefined;
}

/**
 * Pauses a partition whose in-place retries ran out and resumes it later from the same
 * offset; each pause in a row waits longer (backoff), until the partition succeeds again.
 */
export class PartitionPauser {
  private readonly options: PartitionPauserOptions;
  private readonly pausedTimes = new Map<string, number>();
  private readonly resumeTimers = new Set<NodeJS.Timeout>();

  constructor(options: PartitionPauserOptions) {
    this.options = options;
  }

  /** The partition made progress: its next pause starts from the shortest delay again. */
  succeeded(ref: { topic: string; partition: number }): void {
    this.pausedTimes.delete(partitionKey(ref));
  }

  pause(ref: MessageRef, error: unknown): void {
    const { consumer } = this.options;
    const times = (this.pausedTimes.get(partitionKey(ref)) ?? 0) + 1;
    this.pausedTimes.set(partitionKey(ref), times);
    const resumeInMs = backoffDelay(times, this.options.policy);
    const partitions = [{ topic: ref.topic, partitions: [ref.partition] }];
    consumer.pause(partitions);
    consumer.seek({ topic: ref.topic, partition: ref.partition, offset: ref.offset });
    const timer = setTimeout(() => {
      this.resumeTimers.delete(timer);
      this.resume(partitions);
    }, resumeInMs);
    this.resumeTimers.add(timer);
    this.options.logger.warn(
      { ...ref, err: error, resumeInMs },
      'partition paused after transient failures',
    );
    this.options.metrics?.messages.inc({ topic: ref.topic, outcome: 'paused' });
    this.options.events.emit('paused', { ...ref, resumeInMs, error });
  }

  /**
   * kafkajs throws from resume() while its consumer restarts after a crash (it has no group
   * then), and a throw in a timer would end the process. Nothing is left to resume: the
   * restarted group starts every partition unpaused, from its committed offset.
   */
  private resume(partitions: { topic: string; partitions: number[] }[]): void {
    try {
      this.options.consumer.resume(partitions);
    } catch (err) {
      this.options.logger.info(
        { partitions, err },
        'partition not resumed: the consumer is restarting, and starts it unpaused',
      );
    }
  }

  stop(): void {
    for (const timer of this.resumeTimers) clearTimeout(timer);
    this.resumeTimers.clear();
  }
}
