import { randomUUID } from 'node:crypto';
import {
  type DecodedEvent,
  type EventCodec,
  EventContractError,
  type EventHeaders,
  fromKafkaHeaders,
} from '@commerce/events';
import type { Kafka } from 'kafkajs';

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
 * began, and hands each decoded event to `visit` in partition order. It joins a consumer
 * group of its own that commits nothing and is deleted afterwards, so the services' groups
 * and offsets are untouched. For rebuilding state that was derived from the topic.
 */
export async function replayTopic(
  options: ReplayOptions,
  visit: (record: ReplayedEvent) => void | Promise<void>,
): Promise<ReplaySummary> {
  const { kafka, codec, topic } = options;
  const admin = kafka.admin();
  await admin.connect();
  const groupId = `replay-${topic}-${randomUUID()}`;
  const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false });
  const summary: ReplaySummary = { read: 0, undecodable: 0 };
  try {
    const ends = new Map(
      (await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, BigInt(p.high)]),
    );
    const starts = await admin.fetchTopicOffsetsByTimestamp(topic, options.fromTimestamp);
    const pending = new Set(
      starts
        .filter((p) => BigInt(p.offset) < (ends.get(p.partition) ?? 0n))
        .map((p) => p.partition),
    );
    if (pending.size === 0) return summary;

    await consumer.connect();
    await consumer.subscribe({ topics: [topic] });
    await new Promise<void>((resolve, reject) => {
      consumer
        .run({
          autoCommit: false,
          // Any failure but a poison message ends the replay: a partial rebuild is worse
          // than none, and the caller can run it again.
          eachBatch: async ({ batch, heartbeat }) => {
            try {
              const end = ends.get(batch.partition) ?? 0n;
              for (const message of batch.messages) {
                if (BigInt(message.offset) >= end) break;
                summary.read += 1;
                const event = await decodeOrSkip(codec, message.value);
                if (event) {
                  const headers = fromKafkaHeaders(message.headers);
                  await visit({
                    event,
                    headers,
                    partition: batch.partition,
                    offset: message.offset,
                  });
                } else summary.undecodable += 1;
                if (BigInt(message.offset) + 1n >= end) pending.delete(batch.partition);
              }
              await heartbeat();
              if (pending.size === 0) resolve();
            } catch (err) {
              reject(err);
            }
          },
        })
        .catch(reject);
      for (const { partition, offset } of starts)
        if (pending.has(partition)) consumer.seek({ topic, partition, offset });
    });
    return summary;
  } finally {
    await consumer.disconnect();
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.disconnect();
  }
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
