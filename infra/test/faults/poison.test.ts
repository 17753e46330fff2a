import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { type FreshDatabase, freshDatabase } from '@commerce/db/testing';
import { topics as catalog, consumerGroups, EventCodec, type EventType } from '@commerce/events';
import { anEvent } from '@commerce/events/testing';
import { createKafkaClient, deadLetterHeaders, provisionCatalog } from '@commerce/kafka';
import { testShopperTokens } from '@commerce/service/testing';
import {
  type DedicatedBroker,
  type ServiceProcess,
  serviceEnv,
  stackAddresses,
  startDedicatedBroker,
  startServiceProcess,
  uniqueName,
} from '@commerce/testing';
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import type { IHeaders, Message } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readApps, repoRoot } from '../support/apps.ts';
import { logger } from './harness.ts';

// Every consumer group of the system, as its real process, fed the five kinds of poison on
// every topic it reads. Each must go to the group's dead-letter topic with its coordinates
// and the reason, and the group must move past it (lag 0): a poison message that stalls
// its partition, or one that is applied, fails here. A broker of the test's own, so the
// services run with the catalog's real topic and group names.
const prefix = `${uniqueName('poison')}.`;
const stack = stackAddresses();
let broker: DedicatedBroker;
const kafka = () => createKafkaClient({ clientId: 'poison-test', brokers: broker.brokers, logger });
const codec = new EventCodec(new SchemaRegistry({ host: stack.schemaRegistryUrl }));
const consumingApps = [
  'coupon-api',
  'coupon-worker',
  'ranking-worker',
  'analytics-worker',
  'webhook-relay',
];

/** The event types a topic carries, from the catalog. */
const carried = (topic: string): readonly string[] =>
  Object.values(catalog).find(({ name }) => name === topic)?.events ?? [];

/** The five poison messages for one topic, each with the error code it must be dead-lettered with. */
async function poisonFor(topic: string, accepted: readonly string[]) {
  const handled = carried(topic)[0] as EventType;
  const foreign = (['WebhookDeliveryDeadLettered', 'CouponIssueRequested'] as EventType[]).find(
    (type) => !accepted.includes(type),
  ) as EventType;
  const valid = async (type: EventType) => {
    const payload = anEvent(type);
    return { payload, value: await codec.encode(type, payload as never) };
  };
  const good = await valid(handled);
  const unknownSchemaId = Buffer.concat([
    Buffer.from([0, 0x7f, 0xff, 0xff, 0xf0]),
    randomBytes(16),
  ]);
  const poison: { code: string; message: Message }[] = [
    // Random bytes, with a first byte that cannot be Confluent's magic 0.
    {
      code: 'WRONG_MAGIC_BYTE',
      message: { key: 'k', value: Buffer.concat([Buffer.from([0x7b]), randomBytes(31)]) },
    },
    { code: 'UNKNOWN_SCHEMA_ID', message: { key: 'k', value: unknownSchemaId } },
    { code: 'UNEXPECTED_EVENT_TYPE', message: { key: 'k', value: (await valid(foreign)).value } },
    { code: 'KEY_MISSING', message: { key: null, value: good.value } },
    {
      code: 'MALFORMED_HEADERS',
      message: {
        key: 'k',
        value: good.value,
        headers: { 'event-type': 'OrderCancelled' } as IHeaders,
      },
    },
  ];
  return poison;
}

const databases: FreshDatabase[] = [];
const processes: ServiceProcess[] = [];
beforeAll(async () => {
  broker = await startDedicatedBroker();
  await provisionCatalog(broker.brokers, stack.schemaRegistryUrl);

  const apps = readApps().filter(({ name }) => consumingApps.includes(name));
  const urls = new Map<string, string>();
  for (const app of apps) {
    if (!app.database || !app.migrations || urls.has(app.database)) continue;
    const database = await freshDatabase(join(repoRoot, app.migrations), `poison_${app.database}`);
    databases.push(database);
    urls.set(app.database, database.url);
  }
  const env = {
    ...serviceEnv(),
    ...testShopperTokens().env,
    LOG_LEVEL: 'info', // the ready messages are info lines
    KAFKA_BROKERS: broker.brokers.join(','),
    RANKING_KEY_PREFIX: prefix,
    OPERATOR_API_KEY: 'poison-operator-key-0123456789',
  };
  processes.push(
    ...(await Promise.all(
      apps.map((app) =>
        startServiceProcess({
          name: app.name,
          entry: join(repoRoot, 'apps', app.name, 'src', 'main.ts'),
          env: { ...env, ...(app.database ? { DATABASE_URL: urls.get(app.database) ?? '' } : {}) },
          readyMessage: `${app.name} started`,
          timeoutMs: 120_000,
        }),
      ),
    )),
  );
}, 300_000);
afterAll(async () => {
  await Promise.all(processes.map((p) => p.kill('SIGKILL')));
  await Promise.all(databases.map((d) => d.drop()));
  await broker?.destroy();
}, 60_000);

/** Every message of a topic, read from the start by a group of the test's own. */
async function readAll(topic: string, expected: number) {
  const consumer = kafka().consumer({ groupId: `poison-reader-${topic}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const headers: Record<string, string>[] = [];
  const done = new Promise<void>((resolve) => {
    void consumer.run({
      eachMessage: async ({ message }) => {
        headers.push(
          Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)])),
        );
        if (headers.length >= expected) resolve();
      },
    });
  });
  const timeout = new Promise<void>((resolve) => setTimeout(resolve, 60_000).unref());
  await Promise.race([done, timeout]);
  await consumer.disconnect();
  return headers;
}

/** How far a group is behind on its topics: 0 once it moved past everything. */
async function lag(groupId: string, groupTopics: readonly string[]): Promise<number> {
  const admin = kafka().admin();
  await admin.connect();
  try {
    const committed = await admin.fetchOffsets({ groupId, topics: [...groupTopics] });
    let behind = 0;
    for (const { topic, partitions } of committed) {
      const ends = await admin.fetchTopicOffsets(topic);
      for (const { partition, offset } of partitions) {
        const end = Number(ends.find((p) => p.partition === partition)?.high ?? 0);
        behind += end - Math.max(Number(offset), 0);
      }
    }
    return behind;
  } finally {
    await admin.disconnect();
  }
}

describe('poison on every topic, every consumer group as its real process', () => {
  it('when random bytes, an unknown schema id, a wrong event type, a missing key and malformed headers arrive on every topic, then each is dead-lettered by every group that reads it, with its coordinates and reason, and every lag returns to 0', async () => {
    const producer = kafka().producer();
    await producer.connect();
    const sent = new Map<string, { code: string; partition: number; offset: string }[]>();
    const topicsRead = [...new Set(Object.values(consumerGroups).flatMap((g) => g.topics))];
    for (const topic of topicsRead) {
      const accepted = Object.values(consumerGroups)
        .filter((g) => (g.topics as readonly string[]).includes(topic))
        .flatMap((g) => g.topics.flatMap(carried));
      const poison = await poisonFor(topic, accepted);
      const records = [];
      // One at a time, so each offset is known and tied to its kind.
      for (const { code, message } of poison) {
        const [meta] = await producer.send({
          topic,
          acks: -1,
          messages: [message],
        });
        records.push({ code, partition: meta?.partition ?? -1, offset: meta?.baseOffset ?? '' });
      }
      sent.set(topic, records);
    }
    await producer.disconnect();

    for (const group of Object.values(consumerGroups)) {
      const { groupId } = group;
      const expected = group.topics.flatMap((topic) =>
        (sent.get(topic) ?? []).map(({ code, partition, offset }) => ({
          [deadLetterHeaders.topic]: topic,
          [deadLetterHeaders.partition]: String(partition),
          [deadLetterHeaders.offset]: offset,
          [deadLetterHeaders.consumerGroup]: groupId,
          [deadLetterHeaders.errorCode]: code,
        })),
      );
      const letters = await readAll(group.deadLetterTopic, expected.length);
      const coordinates = letters.map((h) =>
        Object.fromEntries(Object.keys(expected[0] ?? {}).map((name) => [name, h[name]])),
      );
      const order = (c: Record<string, string | undefined>) =>
        `${c[deadLetterHeaders.topic]}/${c[deadLetterHeaders.partition]}/${c[deadLetterHeaders.offset]}`;
      expect(
        coordinates.sort((a, b) => order(a).localeCompare(order(b))),
        group.groupId,
      ).toEqual(expected.sort((a, b) => order(a).localeCompare(order(b))));
      await expect.poll(() => lag(groupId, group.topics), { timeout: 30_000 }).toBe(0);
    }
  }, 300_000);
});
