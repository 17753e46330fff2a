import type { EventCodec, EventHeaders, EventPayloads, EventType } from '@commerce/events';
import type { Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { BackoffPolicy } from './backoff.ts';
import type { FailureKind } from './errors.ts';

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
  /** Batch mode only: one handler call succeeded for the records from `offset` to `lastOffset`. */
  flushed: [MessageRef & { lastOffset: string; records: number; durationMs: number }];
  fatal: [Error];
}

/** Everything a runner needs except what it does with the messages. */
export interface RunnerBaseOptions {
  kafka: Kafka;
  groupId: string;
  topics: readonly string[];
  deadLetterTopic: string;
  codec: EventCodec;
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
  /**
   * Stop the process (onFatal) when the consumer shows no progress (fetch, heartbeat,
   * batch) for this long; default max(2 min, 4 session timeouts). See progress-watchdog.ts.
   */
  stallTimeoutMs?: number;
  classify?: (err: unknown) => FailureKind;
  metrics?: Registry;
}

export interface ConsumerRunnerOptions extends RunnerBaseOptions {
  handlers: EventHandlers;
}

export function partitionKey(ref: { topic: string; partition: number }): string {
  return `${ref.topic}:${ref.partition}`;
}
