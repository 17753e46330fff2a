import { sqlExecutor } from '@commerce/db';
import { EventCodec, registerAll, subjectSchemas } from '@commerce/events';
import { anEvent } from '@commerce/events/testing';
import {
  createKafkaClient,
  EventProducer,
  ensureTopics,
  type OutgoingEvent,
} from '@commerce/kafka';
import { stackAddresses, uniqueName } from '@commerce/testing';
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { createConnection, createPool, type Pool } from 'mariadb';
import { pino } from 'pino';
import { enqueueEvents } from '../src/enqueue.ts';
import { OutboxRelay, type OutboxRelayOptions } from '../src/relay.ts';
import { outboxTableSql } from '../src/table.ts';

export const logger = pino({ level: process.env.LOG_LEVEL ?? 'silent' });
const { mysql, schemaRegistryUrl } = stackAddresses();

/** A fresh database with the outbox table, a topic, and producers against `brokers`. */
export async function createOutboxHarness(
  brokers: readonly string[] = stackAddresses().kafkaBrokers,
) {
  const database = uniqueName('outbox');
  const admin = await createConnection(mysql);
  await admin.query(`CREATE DATABASE \`${database}\``);
  await admin.query(`USE \`${database}\``);
  await admin.query(outboxTableSql);
  const pools: Pool[] = [];
  const newPool = () => {
    const pool = createPool({ ...mysql, database, connectionLimit: 5 });
    pools.push(pool);
    return pool;
  };
  const pool = newPool();

  await registerAll(schemaRegistryUrl, subjectSchemas());
  const codec = new EventCodec(new SchemaRegistry({ host: schemaRegistryUrl }));
  const kafka = createKafkaClient({ clientId: uniqueName('outbox-test'), brokers, logger });
  const kafkaAdmin = kafka.admin();
  await kafkaAdmin.connect();
  const topic = uniqueName('outbox-topic');
  await ensureTopics(kafkaAdmin, [{ name: topic, partitions: 3 }], { replicationFactor: 1 });
  const producers: EventProducer[] = [];
  const relays: OutboxRelay[] = [];

  return {
    kafka,
    topic,
    pool,
    async producer() {
      const producer = new EventProducer({ kafka, codec, service: 'outbox-test' });
      await producer.connect();
      producers.push(producer);
      return producer;
    },
    /** A relay with its own pool and producer, as a separate service instance would have. */
    async relay(options: Partial<OutboxRelayOptions> = {}) {
      const producer = await this.producer();
      const relay = new OutboxRelay({
        pool: newPool(),
        producer,
        logger,
        sweepIntervalMs: 100,
        ...options,
      });
      relays.push(relay);
      return relay;
    },
    /** `count` events per key, numbered by `sequence` in the order they are written. */
    requests(keys: readonly string[], count: number): OutgoingEvent<'CouponIssueRequested'>[] {
      return Array.from({ length: count }, (_, i) =>
        keys.map((userId) => ({
          topic,
          key: userId,
          type: 'CouponIssueRequested' as const,
          payload: anEvent('CouponIssueRequested', { userId, sequence: i + 1 }),
          correlationId: `c-${i}`,
        })),
      ).flat();
    },
    /** Writes events in one committed transaction (or rolls it back). */
    async write(events: readonly OutgoingEvent[], outcome: 'commit' | 'rollback' = 'commit') {
      const conn = await pool.getConnection();
      try {
        await conn.beginTransaction();
        await enqueueEvents(sqlExecutor(conn), events);
        await (outcome === 'commit' ? conn.commit() : conn.rollback());
      } finally {
        await conn.release();
      }
    },
    /** Writes events in a transaction left open: the caller commits or rolls it back later. */
    async open(events: readonly OutgoingEvent[]) {
      const conn = await pool.getConnection();
      await conn.beginTransaction();
      await enqueueEvents(sqlExecutor(conn), events);
      const end = async (outcome: 'commit' | 'rollback') => {
        try {
          await (outcome === 'commit' ? conn.commit() : conn.rollback());
        } finally {
          await conn.release();
        }
      };
      return { commit: () => end('commit'), rollback: () => end('rollback') };
    },
    /** Every message on the topic, read until `count` arrived (and a little longer, to catch duplicates). */
    async read(count: number, settleMs = 500) {
      const consumer = kafka.consumer({ groupId: uniqueName('outbox-reader') });
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      const messages: { key: string; eventId: string; sequence: number }[] = [];
      await new Promise<void>((resolve, reject) => {
        consumer
          .run({
            eachMessage: async ({ message }) => {
              const { payload } = await codec.decode(message.value);
              const { eventId, sequence } = payload as { eventId: string; sequence: number };
              messages.push({ key: String(message.key), eventId, sequence });
              if (messages.length === count) setTimeout(resolve, settleMs);
            },
          })
          .catch(reject);
      });
      await consumer.disconnect();
      return messages;
    },
    async close() {
      await Promise.allSettled(relays.map((r) => r.stop()));
      await Promise.allSettled(producers.map((p) => p.disconnect()));
      await Promise.allSettled(pools.map((p) => p.end()));
      await kafkaAdmin.deleteTopics({ topics: [topic] }).catch(() => undefined);
      await kafkaAdmin.disconnect().catch(() => undefined);
      await admin.query(`DROP DATABASE IF EXISTS \`${database}\``);
      await admin.end();
    },
  };
}

export type OutboxHarness = Awaited<ReturnType<typeof createOutboxHarness>>;

/** Per key, the sequences in the order they arrived: each list must be 1, 2, 3, ... */
export function sequencesByKey(
  messages: readonly { key: string; sequence: number }[],
): Map<string, number[]> {
  const byKey = new Map<string, number[]>();
  for (const { key, sequence } of messages) byKey.set(key, [...(byKey.get(key) ?? []), sequence]);
  return byKey;
}
