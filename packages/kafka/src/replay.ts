import {
  type DecodedEvent,
  type EventCodec,
  EventContractError,
  type EventHeaders,
  fromKafkaHeaders,
} from '@commerce/events';
import type { Kafka } from 'kafkajs';
import { readPartitions } from './topic-reader.ts';

export interface ReplayOptions {
  kafka: Kafka;
  codec: EventCodec;
  topic: string;
  /** Start of each partition: its first message produced at or after this instant (ms). */
  fromTimestamp: number;
}

export interface ReplayedEvent {
  event: DecodedEvent;
  headers: Partial<EventHeaders>;
  partition: number;
  offset: string;
}

export interface ReplaySummary {
  /** Messages read, decoded or not. */
  read: number;
  /** Messages that did not decode (poison); the replay goes on without them. */
  undecodable: number;
}

/**
 * Reads a topic once, from `fromTimestamp` up to the end each partition had when the replay
 * began, and hands each decoded event to `visit` in partition order (`readPartitions`:
 * the services' groups and offsets are untouched). For rebuilding state derived from the topic.
 */
export async function replayTopic(
  options: ReplayOptions,
  visit: (record: ReplayedEvent) => void | Promise<void>,
): Promise<ReplaySummary> {
  const { kafka, codec, topic } = options;
  const admin = kafka.admin();
  await admin.connect();
  const starts = await admin
    .fetchTopicOffsetsByTimestamp(topic, options.fromTimestamp)
    .finally(() => admin.disconnect());
  const summary: ReplaySummary = { read: 0, undecodable: 0 };
  // Any failure but a poison message ends the replay: a partial rebuild is worse than none,
  // and the caller can run it again.
  await readPartitions(kafka, topic, starts, async (partition, message) => {
    summary.read += 1;
    const event = await decodeOrSkip(codec, message.value);
    if (!event) summary.undecodable += 1;
    else
      await visit({
        event,
        headers: fromKafkaHeaders(message.headers),
        partition,
        offset: message.offset,
      });
  });
  return summary;
}

/** A poison message (bytes no schema of ours reads) is skipped; a registry outage is not. */
async function decodeOrSkip(
  codec: EventCodec,
  value: Buffer | null,
): Promise<DecodedEvent | undefined> {
  try {
    return await codec.decode(value ?? Buffer.alloc(0));
  } catch (err) {
    if (err instanceof EventContractError && err.permanent) return undefined;
    throw err;
  }
}
