import type { EncodedEvent, EventProducer, OutgoingEvent } from '@commerce/kafka';
import { keyRuns } from './ordering.ts';
import type { RowFailure, SendOutcome } from './outcomes.ts';
import type { OutboxRow } from './table.ts';

/** A claimed row ready to send. */
export interface Pending {
  row: OutboxRow;
  message: EncodedEvent;
}

/**
 * Encodes each key's rows in id order up to its first row that cannot go out: an event
 * that does not encode, or a message over `maxMessageBytes` that the broker would refuse.
 * Such a row fails on its own and the rest of its key waits behind it; other keys go on.
 * Finding these before the send matters: a batch the broker refuses in part cannot be
 * re-sent in smaller pieces (see `sendGroup`).
 */
export async function prepare(
  rows: readonly OutboxRow[],
  producer: Pick<EventProducer, 'encode'>,
  maxMessageBytes: number,
): Promise<{ runs: Pending[][]; failures: RowFailure[] }> {
  const runs: Pending[][] = [];
  const failures: RowFailure[] = [];
  for (const keyRows of keyRuns(rows)) {
    const run: Pending[] = [];
    for (const row of keyRows) {
      try {
        const message = await producer.encode(toEvent(row));
        const size = messageBytes(message);
        if (size > maxMessageBytes) {
          throw new Error(
            `message of ${size} bytes is over the ${maxMessageBytes}-byte limit (maxMessageBytes)`,
          );
        }
        run.push({ row, message });
      } catch (error) {
        failures.push({ row, error });
        break;
      }
    }
    if (run.length > 0) runs.push(run);
  }
  return { runs, failures };
}

/**
 * Splits key runs into one send per set of topics, so a topic that cannot take messages
 * (missing, refused) holds back only the keys sent to it.
 */
export function byTopics(runs: readonly Pending[][]): Pending[][][] {
  const groups = new Map<string, Pending[][]>();
  for (const run of runs) {
    const topics = [...new Set(run.map(({ row }) => row.topic))].sort().join('\n');
    groups.set(topics, [...(groups.get(topics) ?? []), run]);
  }
  return [...groups.values()];
}

/**
 * One batch for the whole group. When it fails, the first row of each key fails with the
 * error (its own retry time) and the key's later rows wait. It is not retried in smaller
 * pieces: kafkajs's idempotent producer rolls back the sequence numbers of every partition
 * of a failed request, also of partitions the broker had appended, and a resend of a
 * different set of messages is then refused with OUT_OF_ORDER_SEQUENCE_NUMBER on each
 * later send to those partitions (checked against Kafka 4.1). Row-level causes are found
 * before the send (`prepare`); what is left is a broker or topic failure.
 */
export async function sendGroup(
  producer: Pick<EventProducer, 'sendEncoded'>,
  runs: readonly Pending[][],
): Promise<SendOutcome> {
  try {
    await producer.sendEncoded(runs.flat().map(({ message }) => message));
    return { published: runs.flat().map(({ row }) => row.id), failures: [] };
  } catch (error) {
    return {
      published: [],
      failures: runs.map((run) => ({ row: (run[0] as Pending).row, error })),
    };
  }
}

function messageBytes({ key, value, headers }: EncodedEvent): number {
  let size = Buffer.byteLength(key) + value.length;
  for (const [name, header] of Object.entries(headers))
    size += Buffer.byteLength(name) + Buffer.byteLength(header);
  return size;
}

function toEvent(row: OutboxRow): OutgoingEvent {
  return {
    topic: row.topic,
    key: row.message_key,
    type: row.event_type as OutgoingEvent['type'],
    payload: JSON.parse(row.payload),
    correlationId: row.correlation_id,
    ...(row.traceparent ? { traceparent: row.traceparent } : {}),
  };
}
