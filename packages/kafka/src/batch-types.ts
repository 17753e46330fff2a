import type { EventHeaders, EventPayloads, EventType } from '@commerce/events';
import type { Logger } from 'pino';
import type { RunnerBaseOptions } from './consumer-types.ts';

/** One decoded message of a batch, with where it came from. */
export type DecodedRecord = {
  [T in EventType]: {
    type: T;
    payload: EventPayloads[T];
    topic: string;
    partition: number;
    offset: string;
    key: string | null;
    headers: Partial<EventHeaders>;
  };
}[EventType];

export interface BatchContext {
  log: Logger;
  topic: string;
  partition: number;
  /** Offsets of the first and last message the slice covers (poison messages included). */
  firstOffset: string;
  lastOffset: string;
  /** Keeps this member in the group during a long flush. */
  heartbeat: () => Promise<void>;
}

/**
 * Handles a slice of one partition's records at once (one database transaction, one HTTP
 * call). The runner commits the slice's offsets only after it resolves. Throw a transient
 * error to have the slice retried, a permanent one to have it retried record by record so
 * only the record that fails alone is dead-lettered.
 */
export type BatchHandler = (records: DecodedRecord[], context: BatchContext) => Promise<void>;

export interface BatchConsumerRunnerOptions extends RunnerBaseOptions {
  /** The event types this group handles; any other is dead-lettered as UNEXPECTED_EVENT_TYPE. */
  eventTypes: readonly EventType[];
  handleBatch: BatchHandler;
  /** Checks one record before it joins a slice; throw a PermanentError to dead-letter it. */
  validate?: (record: DecodedRecord) => void;
  /** Most records per handler call (the flush size); a bigger fetched batch is sliced. */
  maxRecords?: number;
  /**
   * How long the broker may hold a fetch while it collects `minBytes` (the flush time):
   * under light load a slice waits at most this long, under load it fills up at once.
   */
  maxWaitMs?: number;
  /** Bytes a fetch waits for (up to `maxWaitMs`) before it returns; 1 returns at once. */
  minBytes?: number;
}
