import { stackAddresses, uniqueName } from '@commerce/testing';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTopics } from '../src/create-topics.ts';

const admin = new Kafka({
  clientId: 'topics-test',
  brokers: stackAddresses().kafkaBrokers,
  logLevel: logLevel.WARN,
}).admin();
const a = uniqueName('topics-a');
const b = uniqueName('topics-b');

beforeAll(() => admin.connect());
afterAll(async () => {
  await admin.deleteTopics({ topics: [a, b] }).catch(() => undefined);
  await admin.disconnect();
});

describe('ensureTopics against the broker', () => {
  it('when run twice, then topics are created once, grown when asked, and otherwise left alone', async () => {
    const first = await ensureTopics(
      admin,
      [
        { name: a, partitions: 3 },
        { name: b, partitions: 1 },
      ],
      { replicationFactor: 1 },
    );
    const second = await ensureTopics(
      admin,
      [
        { name: a, partitions: 3 },
        { name: b, partitions: 2 },
      ],
      { replicationFactor: 1 },
    );

    expect(first.map((c) => c.action)).toEqual(['created', 'created']);
    expect(second).toEqual([
      { name: a, partitions: 3, action: 'unchanged' },
      { name: b, partitions: 2, action: 'partitions-added' },
    ]);
    // Partition metadata reaches every broker cache shortly after the change.
    await expect
      .poll(async () => {
        const metadata = await admin.fetchTopicMetadata({ topics: [a, b] });
        return metadata.topics.map((t) => [
          t.name,
          t.partitions.filter((p) => p.leader >= 0).length,
        ]);
      })
      .toEqual([
        [a, 3],
        [b, 2],
      ]);
  });
});
