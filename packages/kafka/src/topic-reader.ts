import { randomUUID } from 'node:crypto';
import type { Kafka, KafkaMessage } from 'kafkajs';

/** Where reading a partition begins. */
export interface PartitionStart {
  partition: number;
  offset: string;
}

/** Returning (or resolving to) `false` stops the read, e.g. when a limit is reached. */
export type VisitMessage = (partition: number, message: KafkaMessage) => unknown;

/**
 * Reads a topic's partitions once, each from its start up to the end it had when the read
 * began (or up to `until`, exclusive), handing every message to `visit` in partition order.
 * It joins a consumer group of its own that commits nothing and is deleted afterwards, so the
 * services' groups and offsets are untouched. Any failure of `visit` ends the read.
 */
export async function readPartitions(
  kafka: Kafka,
  topic: string,
  starts: readonly PartitionStart[],
  visit: VisitMessage,
  until: ReadonlyMap<number, bigint> = new Map(),
): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  const groupId = `read-${topic}-${randomUUID()}`;
  const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false });
  try {
    const highs = new Map(
      (await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, BigInt(p.high)]),
    );
    const ends = new Map(
      [...highs].map(([partition, high]) => {
        const limit = until.get(partition);
        return [partition, limit !== undefined && limit < high ? limit : high];
      }),
    );
    const pending = new Set(
      starts
        .filter((s) => BigInt(s.offset) < (ends.get(s.partition) ?? 0n))
        .map((s) => s.partition),
    );
    if (pending.size === 0) return;

    await consumer.connect();
    await consumer.subscribe({ topics: [topic] });
    await new Promise<void>((resolve, reject) => {
      let stopped = false;
      consumer
        .run({
          autoCommit: false,
          eachBatch: async ({ batch, heartbeat }) => {
            try {
              const end = ends.get(batch.partition) ?? 0n;
              for (const message of batch.messages) {
                if (stopped || !pending.has(batch.partition)) break;
                if (BigInt(message.offset) >= end) {
                  pending.delete(batch.partition);
                  break;
                }
                if ((await visit(batch.partition, message)) === false) stopped = true;
                if (BigInt(message.offset) + 1n >= end) pending.delete(batch.partition);
              }
              await heartbeat();
              if (stopped || pending.size === 0) resolve();
            } catch (err) {
              reject(err);
            }
          },
        })
        .catch(reject);
      for (const { partition, offset } of starts)
        if (pending.has(partition)) consumer.seek({ topic, partition, offset });
    });
  } finally {
    await consumer.disconnect();
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.disconnect();
  }
}
