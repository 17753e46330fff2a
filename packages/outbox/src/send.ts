import { setTimeout as sleep } from 'node:timers/promises';
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
 * re-sent in smaller pieces (see `sendGroup`). A key's run also ends before its first row
 * for another topic (`deferred` counts them): each run goes to one topic, so a topic that
 * cannot take messages holds back only the keys whose next row is for it, and a key's row
 * for a second topic leaves only once its earlier rows were acknowledged.
 */
export async function prepare(
  rows: readonly OutboxRow[],
  producer: Pick<EventProducer, 'encode'>,
  maxMessageBytes: number,
): Promise<{ runs: Pending[][]; failures: RowFailure[]; deferred: number }> {
  const runs: Pending[][] = [];
  const failures: RowFailure[] = [];
  let deferred = 0;
  for (const keyRows of keyRuns(rows)) {
    const sameTopic = keyRows.findIndex((row) => row.topic !== keyRows[0]?.topic);
    if (sameTopic > 0) deferred += keyRows.length - sameTopic;
    const run: Pending[] = [];
    for (const row of sameTopic > 0 ? keyRows.slice(0, sameTopic) : keyRows) {
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
  return { runs, failures, deferred };
}

/**
 * One send per topic (each run has one), so a topic that cannot take messages (missing,
 * refused) holds back only the keys sent to it. No two sends in flight share a topic: on
 * one idempotent producer they would get consecutive sequence numbers per partition, and
 * when the first failed the second would be refused out of sequence.
 */
export function byTopics(runs: readonly Pending[][]): Pending[][][] {
  const groups = new Map<string, Pending[][]>();
  for (const run of runs) {
    const topic = (run[0] as Pending).row.topic;
    groups.set(topic, [...(groups.get(topic) ?? []), run]);
  }
  return [...groups.values()];
}

/** The topics a group of key runs sends to. */
export function topicsOf(group: readonly Pending[][]): string[] {
  return [...new Set(group.flat().map(({ row }) => row.topic))];
}

/** The first row of each key run in these groups: the row that carries its key's lease. */
export function headsOf(groups: readonly Pending[][][]): bigint[] {
  return groups.flat().map((run) => (run[0] as Pending).row.id);
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

/**
 * Sends each group at once (they share no topic) and waits at most `maxWaitMs`: the outcomes
 * of the sends that finished, and the sends still in flight (they go on in the background).
 */
export async function sendWithin(
  producer: Pick<EventProducer, 'sendEncoded'>,
  groups: readonly Pending[][][],
  maxWaitMs: number,
): Promise<{
  settled: SendOutcome[];
  inFlight: { group: Pending[][]; promise: Promise<SendOutcome> }[];
}> {
  const sends = groups.map((group) => {
    const send = {
      group,
      promise: sendGroup(producer, group),
      outcome: undefined as SendOutcome | undefined,
    };
    send.promise.then((outcome) => (send.outcome = outcome));
    return send;
  });
  const timeout = new AbortController();
  await Promise.race([
    Promise.all(sends.map(({ promise }) => promise)),
    sleep(maxWaitMs, undefined, { signal: timeout.signal }).catch(() => undefined),
  ]);
  timeout.abort();
  return {
    settled: sends.flatMap(({ outcome }) => (outcome ? [outcome] : [])),
    inFlight: sends.filter(({ outcome }) => !outcome),
  };
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
