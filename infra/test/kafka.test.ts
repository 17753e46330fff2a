import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stackAddresses, stackLogDir, uniqueName } from '@commerce/testing';
import { type Consumer, type EachMessagePayload, Kafka, type LogEntry, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Proves kafkajs 2.2.4 and the local broker agree on every API the services use:
// admin, idempotent producer, consumer groups with manual commits, rebalancing.

const clientLog: LogEntry[] = [];
const kafka = new Kafka({
  clientId: 'stack-smoke',
  brokers: stackAddresses().kafkaBrokers,
  logLevel: logLevel.INFO,
  logCreator: () => (entry) => void clientLog.push(entry),
  retry: { retries: 3 },
});
// The broker's log: the tests run against the stack infra/local/stack.sh started.
const brokerLogFile = join(stackLogDir(), 'kafka.log');
const admin = kafka.admin();
const topic = uniqueName('smoke');
const groupId = uniqueName('smoke-group');
const consumers: Consumer[] = [];

beforeAll(async () => {
  await admin.connect();
  await admin.createTopics({
    waitForLeaders: true,
    topics: [{ topic, numPartitions: 3, replicationFactor: 1 }],
  });
});

afterAll(async () => {
  await Promise.all(consumers.map((c) => c.disconnect()));
  await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
  await admin.disconnect();
});

async function produce(from: number, count: number) {
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  await producer.send({
    topic,
    acks: -1,
    messages: Array.from({ length: count }, (_, i) => ({
      key: `user-${(from + i) % 7}`,
      value: String(from + i),
    })),
  });
  await producer.disconnect();
}

/** Consumes until `count` messages arrived, committing each offset by hand. */
function consumeUntil(consumer: Consumer, count: number, seen: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    consumer
      .run({
        autoCommit: false,
        eachMessage: async ({ topic: t, partition, message }: EachMessagePayload) => {
          seen.push(String(message.value));
          await consumer.commitOffsets([
            { topic: t, partition, offset: (BigInt(message.offset) + 1n).toString() },
          ]);
          if (seen.length >= count) resolve();
        },
      })
      .catch(reject);
  });
}

async function newConsumer(): Promise<Consumer> {
  const consumer = kafka.consumer({ groupId, sessionTimeout: 10_000, heartbeatInterval: 1_000 });
  consumers.push(consumer);
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  return consumer;
}

describe('kafkajs against the local broker', () => {
  it('when a consumer restarts, then it resumes from its committed offset', async () => {
    await produce(0, 30);
    const first = await newConsumer();
    const seenFirst: string[] = [];
    await consumeUntil(first, 30, seenFirst);
    await first.disconnect();

    await produce(30, 10);
    const second = await newConsumer();
    const seenSecond: string[] = [];
    await consumeUntil(second, 10, seenSecond);

    expect(new Set(seenFirst)).toEqual(new Set(Array.from({ length: 30 }, (_, i) => String(i))));
    expect(new Set(seenSecond)).toEqual(
      new Set(Array.from({ length: 10 }, (_, i) => String(30 + i))),
    );

    // Every partition's committed offset is its end: nothing unconsumed, nothing twice.
    const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
    const ends = await admin.fetchTopicOffsets(topic);
    const committedByPartition = new Map(
      committed?.partitions.map((p) => [p.partition, Math.max(0, Number(p.offset))]),
    );
    for (const end of ends) expect(committedByPartition.get(end.partition)).toBe(Number(end.high));
  });

  it('when a second consumer joins, then the partitions are shared between both members', async () => {
    const joined = await newConsumer();
    const seen: string[] = [];
    void consumeUntil(joined, Number.POSITIVE_INFINITY, seen);
    const describe = async () => (await admin.describeGroups([groupId])).groups[0];
    await expect
      .poll(
        async () => {
          const group = await describe();
          return `${group?.state} with ${group?.members.length} members`;
        },
        { timeout: 30_000, interval: 250 },
      )
      .toBe('Stable with 2 members');

    // Each member received an assignment (a non-empty member assignment blob).
    const group = await describe();
    expect(group?.members.map((m) => m.memberAssignment.length > 0)).toEqual([true, true]);
  });

  it('when the suite has run, then neither the client nor the broker logged an unsupported API version', () => {
    const unsupported = /UNSUPPORTED_VERSION|UnsupportedVersion|not supported by the broker/i;
    expect(clientLog.length).toBeGreaterThan(0);
    expect(clientLog.filter((e) => unsupported.test(JSON.stringify(e.log)))).toEqual([]);
    expect(existsSync(brokerLogFile), `the broker's log at ${brokerLogFile}`).toBe(true);
    const lines = readFileSync(brokerLogFile, 'utf8').split('\n');
    expect(lines.length).toBeGreaterThan(10);
    expect(lines.filter((line) => unsupported.test(line))).toEqual([]);
  });
});
