import type { DecodedEvent, EventCodec } from '@commerce/events';
import { DomainError } from '@commerce/service';
import type { IHeaders, Kafka, KafkaMessage } from 'kafkajs';
import { deadLetterHeaders } from '../dead-letter.ts';
import { readPartitions } from '../topic-reader.ts';

/** The header a replayed message carries: which dead letter it was (`<dlq>/<partition>/<offset>`). */
export const REPLAYED_FROM_HEADER = 'dlq-replayed-from';

/** One dead letter: where it sits, where it came from, why it failed, and its bytes. */
export interface DeadLetter {
  partition: number;
  offset: string;
  /** When it was dead-lettered (the message's timestamp). */
  timestamp: string;
  key: string | null;
  original: { topic: string; partition: number; offset: string };
  consumerGroup: string;
  error: { code: string; message: string };
  attempts: number;
  /** The original message's own headers (the dead-letter ones removed). */
  headers: Record<string, string>;
  value: Buffer | null;
}

const text = (value: IHeaders[string]): string =>
  Array.isArray(value) ? String(value[0] ?? '') : value === undefined ? '' : String(value);

const ownHeaderNames = new Set<string>([...Object.values(deadLetterHeaders), REPLAYED_FROM_HEADER]);

export function parseDeadLetter(partition: number, message: KafkaMessage): DeadLetter {
  const all = message.headers ?? {};
  const header = (name: string) => text(all[name]);
  return {
    partition,
    offset: message.offset,
    timestamp: new Date(Number(message.timestamp)).toISOString(),
    key: message.key?.toString() ?? null,
    original: {
      topic: header(deadLetterHeaders.topic),
      partition: Number(header(deadLetterHeaders.partition)),
      offset: header(deadLetterHeaders.offset),
    },
    consumerGroup: header(deadLetterHeaders.consumerGroup),
    error: {
      code: header(deadLetterHeaders.errorCode),
      message: header(deadLetterHeaders.errorMessage),
    },
    attempts: Number(header(deadLetterHeaders.attempts) || 0),
    headers: Object.fromEntries(
      Object.entries(all)
        .filter(([name]) => !ownHeaderNames.has(name))
        .map(([name, value]) => [name, text(value)]),
    ),
    value: message.value,
  };
}

export interface DeadLetterRange {
  /** Only this partition of the dead-letter topic (all by default). */
  partition?: number;
  /** First offset to read (the partition's oldest kept by default). */
  fromOffset?: string;
  /** Last offset to read, inclusive (the end by default). */
  toOffset?: string;
  /** Most dead letters returned. */
  limit?: number;
}

/** Dead letters of one topic, oldest first per partition. */
export async function readDeadLetters(
  kafka: Kafka,
  topic: string,
  range: DeadLetterRange = {},
): Promise<DeadLetter[]> {
  const admin = kafka.admin();
  await admin.connect();
  const offsets = await admin.fetchTopicOffsets(topic).finally(() => admin.disconnect());
  const chosen = offsets.filter(
    (p) => range.partition === undefined || p.partition === range.partition,
  );
  const starts = chosen.map((p) => ({
    partition: p.partition,
    offset:
      range.fromOffset !== undefined && BigInt(range.fromOffset) > BigInt(p.low)
        ? range.fromOffset
        : p.low,
  }));
  const until = new Map(
    range.toOffset === undefined
      ? []
      : chosen.map((p) => [p.partition, BigInt(range.toOffset as string) + 1n]),
  );
  const limit = range.limit ?? 100;
  const found: DeadLetter[] = [];
  if (limit <= 0) return found;
  await readPartitions(
    kafka,
    topic,
    starts,
    (partition, message) => {
      found.push(parseDeadLetter(partition, message));
      return found.length < limit;
    },
    until,
  );
  return found.sort(
    (a, b) => a.partition - b.partition || Number(BigInt(a.offset) - BigInt(b.offset)),
  );
}

/** How many dead letters the topic keeps, over all its partitions. */
export async function countDeadLetters(kafka: Kafka, topic: string): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  const offsets = await admin.fetchTopicOffsets(topic).finally(() => admin.disconnect());
  return offsets.reduce((sum, p) => sum + Number(BigInt(p.high) - BigInt(p.low)), 0);
}

export type DecodedDeadLetter =
  | { decoded: true; event: DecodedEvent }
  | { decoded: false; reason: string; valueBase64: string | null };

/** The dead letter's value read through the schema registry, or why it cannot be. */
export async function decodeDeadLetter(
  codec: EventCodec,
  letter: DeadLetter,
): Promise<DecodedDeadLetter> {
  try {
    return { decoded: true, event: await codec.decode(letter.value ?? Buffer.alloc(0)) };
  } catch (err) {
    return {
      decoded: false,
      reason: err instanceof Error ? err.message : String(err),
      valueBase64: letter.value?.toString('base64') ?? null,
    };
  }
}

/**
 * Sends dead letters back to their original topics: the same key, value and original headers,
 * plus `dlq-replayed-from`, so consumers process them again (they deduplicate by event id).
 */
export async function replayDeadLetters(
  kafka: Kafka,
  topic: string,
  range: DeadLetterRange & { partition: number },
): Promise<{ replayed: DeadLetter[] }> {
  const letters = await readDeadLetters(kafka, topic, { limit: 10_000, ...range });
  if (letters.length === 0) return { replayed: [] };
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  try {
    // One request per original topic and chunk; within a topic the dead letters keep their order.
    const byTopic = Map.groupBy(letters, (letter) => letter.original.topic);
    for (const [original, group] of byTopic)
      for (let i = 0; i < group.length; i += 500)
        await producer.send({
          topic: original,
          acks: -1,
          messages: group.slice(i, i + 500).map((letter) => ({
            key: letter.key,
            value: letter.value,
            headers: {
              ...letter.headers,
              [REPLAYED_FROM_HEADER]: `${topic}/${letter.partition}/${letter.offset}`,
            },
          })),
        });
  } finally {
    await producer.disconnect();
  }
  return { replayed: letters };
}

/** Deletes a partition's dead letters before `beforeOffset` (Kafka deletes a prefix, never one message). */
export async function purgeDeadLetters(
  kafka: Kafka,
  topic: string,
  target: { partition: number; beforeOffset: string },
): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    // kafkajs finds the partition's leader in its cached metadata only: load it first, or the
    // delete fails with BrokerNotFound.
    await admin.fetchTopicMetadata({ topics: [topic] });
    // Kafka refuses an unknown partition or an offset past the end; both were 500s.
    const end = (await admin.fetchTopicOffsets(topic)).find(
      (p) => p.partition === target.partition,
    );
    if (!end)
      throw new DomainError(
        'DEAD_LETTER_PARTITION_NOT_FOUND',
        `${topic} has no partition ${target.partition}`,
      );
    if (BigInt(target.beforeOffset) > BigInt(end.high))
      throw new DomainError(
        'OFFSET_OUT_OF_RANGE',
        `partition ${target.partition} of ${topic} ends at offset ${end.high}`,
        { high: end.high },
      );
    await admin.deleteTopicRecords({
      topic,
      partitions: [{ partition: target.partition, offset: target.beforeOffset }],
    });
  } finally {
    await admin.disconnect();
  }
}
