import { processedEventsTableSql, recordProcessedEvent, sqlExecutor } from '@commerce/db';
import { EventCodec, registerAll, subjectSchemas } from '@commerce/events';
import { anEvent } from '@commerce/events/testing';
import { ConsumerRunner, createKafkaClient, EventProducer, ensureTopics } from '@commerce/kafka';
import { enqueueEvents, OutboxRelay, outboxTableSql } from '@commerce/outbox';
import { stackAddresses, uniqueName } from '@commerce/testing';
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { Kafka, logLevel } from 'kafkajs';
import { createConnection, createPool, type Pool } from 'mariadb';
import { pino } from 'pino';
import {
  auditEffects,
  count,
  effectsTableSql,
  partitionsByMember,
  whereAreTheLost,
} from './effects.ts';
import { Timeline } from './timeline.ts';

import { groupLag } from './wait.ts';

export { leaderOf, waitFor } from './wait.ts';

export const logger = pino({ level: process.env.LOG_LEVEL ?? 'silent' });
const { mysql, schemaRegistryUrl } = stackAddresses();

export interface FaultHarnessOptions {
  brokers: readonly string[];
  /** 3 with min ISR 2 on a three-node cluster: the container stack's settings. */
  replicationFactor: number;
  minInsyncReplicas?: number;
  partitions?: number;
}

/**
 * The moving parts of a Kafka fault test, all real: a fresh MariaDB database holding an
 * outbox table (written by a load generator, published by OutboxRelay) and the consumer's
 * effects (ConsumerRunner members that dedupe by event id, as the services do), a topic on
 * the cluster under test, and timelines of when rows were published and events consumed.
 */
export async function createFaultHarness(options: FaultHarnessOptions) {
  const database = uniqueName('faults');
  const admin = await createConnection(mysql);
  await admin.query(`CREATE DATABASE \`${database}\``);
  await admin.query(`USE \`${database}\``);
  for (const sql of [outboxTableSql, processedEventsTableSql, effectsTableSql])
    await admin.query(sql);
  const pools: Pool[] = [];
  const newPool = () => {
    const pool = createPool({ ...mysql, database, connectionLimit: 4 });
    pools.push(pool);
    return pool;
  };
  const pool = newPool();

  await registerAll(schemaRegistryUrl, subjectSchemas());
  const codec = new EventCodec(new SchemaRegistry({ host: schemaRegistryUrl }));
  const kafka = createKafkaClient({
    clientId: uniqueName('faults'),
    brokers: options.brokers,
    logger,
  });
  const kafkaAdmin = kafka.admin();
  await kafkaAdmin.connect();
  const topic = uniqueName('faults-topic');
  const deadLetterTopic = `${topic}.dlq`;
  await ensureTopics(
    kafkaAdmin,
    [
      { name: topic, partitions: options.partitions ?? 6 },
      { name: deadLetterTopic, partitions: 1 },
    ],
    {
      replicationFactor: options.replicationFactor,
      minInsyncReplicas: options.minInsyncReplicas,
      timeoutMs: 120_000,
    },
  );
  const published = new Timeline();
  const consumed = new Timeline();
  const stoppers: (() => Promise<void>)[] = [];
  /** What went wrong in the consumers (dead letters, fatal errors): a failing test prints it. */
  const incidents: string[] = [];

  /** One committed transaction of `count` events, one key each. */
  async function write(count: number, round: number) {
    const events = Array.from({ length: count }, (_, i) => {
      const userId = `user-${(round * count + i) % 24}`;
      return {
        topic,
        key: userId,
        type: 'CouponIssueRequested' as const,
        payload: anEvent('CouponIssueRequested', { userId, sequence: round + 1 }),
        correlationId: `load-${round}`,
      };
    });
    const conn = await pool.getConnection();
    try {
      await conn.beginTransaction();
      await enqueueEvents(sqlExecutor(conn), events);
      await conn.commit();
    } finally {
      await conn.release();
    }
  }

  return {
    kafka,
    codec,
    topic,
    published,
    consumed,
    incidents,
    /** Writes `perRound` events every `intervalMs` (each round one transaction) until stopped. */
    load({ perRound = 10, intervalMs = 100 } = {}) {
      let running = true;
      let round = 0;
      const done = (async () => {
        while (running) {
          await write(perRound, round++);
          await new Promise((resolve) => setTimeout(resolve, intervalMs));
        }
      })();
      const stop = async () => {
        running = false;
        await done;
      };
      stoppers.push(stop);
      return { stop, rounds: () => round };
    },
    /** An outbox relay with its own pool and producer, as a service instance has; started. */
    async relay() {
      const producer = new EventProducer({ kafka, codec, service: 'faults' });
      await producer.connect();
      const relay = new OutboxRelay({
        pool: newPool(),
        producer,
        logger,
        sweepIntervalMs: 100,
        retry: { initialDelayMs: 200, maxDelayMs: 2_000 },
        purge: false,
      });
      relay.on('published', ({ count: n }) => published.mark(n));
      relay.start();
      stoppers.push(async () => {
        await relay.stop();
        await producer.disconnect();
      });
      return relay;
    },
    /** A member of `groupId` whose effect is a row in `effects`, applied once per event id. */
    async member(groupId: string, name: string) {
      const effects = newPool();
      const runner = new ConsumerRunner({
        kafka,
        codec,
        logger,
        groupId,
        topics: [topic],
        deadLetterTopic,
        sessionTimeoutMs: 10_000,
        onFatal: (err) => logger.error({ err }, 'consumer gave up'),
        handlers: {
          CouponIssueRequested: async (event, { partition }) => {
            const conn = await effects.getConnection();
            try {
              await conn.beginTransaction();
              if (await recordProcessedEvent(sqlExecutor(conn), groupId, event.eventId))
                await conn.query(
                  'INSERT INTO effects (event_id, member, kafka_partition) VALUES (?, ?, ?)',
                  [event.eventId, name, partition],
                );
              await conn.commit();
            } catch (err) {
              await conn.rollback();
              throw err;
            } finally {
              await conn.release();
            }
            consumed.mark(1);
          },
        },
      });
      runner.on('dead-lettered', (ref) => incidents.push(`${name} dead-lettered ${ref.errorCode}`));
      runner.on('fatal', (err) => incidents.push(`${name} fatal: ${err.message}`));
      await runner.start();
      let stopped = false;
      const stop = async () => {
        if (stopped) return;
        stopped = true;
        await runner.stop();
      };
      stoppers.push(stop);
      return { runner, stop };
    },
    /**
     * A producer of its own, outside the outbox, to see what Kafka answers to a send; with
     * few retries, so a send that cannot be acknowledged fails within a test's time.
     */
    async producer() {
      const probe = new Kafka({
        clientId: uniqueName('faults-probe'),
        brokers: [...options.brokers],
        logLevel: logLevel.NOTHING,
        retry: { initialRetryTime: 300, retries: 2 },
      });
      const producer = new EventProducer({ kafka: probe, codec, service: 'faults-probe' });
      await producer.connect();
      stoppers.push(() => producer.disconnect());
      return producer;
    },
    /** Messages of the topic `groupId` has not committed yet. */
    lag: (groupId: string) => groupLag(kafkaAdmin, topic, groupId),
    /** A publishable event for `producer()`, one key per partition-spread `i`. */
    event(i: number) {
      return {
        topic,
        key: `probe-${i}`,
        type: 'CouponIssueRequested' as const,
        payload: anEvent('CouponIssueRequested', { userId: `probe-${i}`, sequence: 1 }),
        correlationId: 'probe',
      };
    },
    unpublished: () => count(pool, 'SELECT COUNT(*) FROM outbox_events WHERE published_at IS NULL'),
    /** Rows created after `since` (ms epoch) that are marked published. */
    publishedSince: (since: number) =>
      count(
        pool,
        `SELECT COUNT(*) FROM outbox_events WHERE published_at IS NOT NULL AND created_at > FROM_UNIXTIME(${since / 1000})`,
      ),
    /** Written events without an effect (lost), and events whose effect was applied twice. */
    audit: () => auditEffects(pool),
    /** Where the rows without an effect are, for a failing test's message. */
    whereAreTheLost: () => whereAreTheLost({ pool, kafka, admin: kafkaAdmin, topic }),
    /** Per member, the partitions whose events it applied after `since` (ms epoch). */
    partitionsByMember: (since = 0) => partitionsByMember(pool, since),
    async close() {
      for (const stop of stoppers.reverse()) await stop().catch(() => undefined);
      await Promise.allSettled(pools.map((p) => p.end()));
      await kafkaAdmin.deleteTopics({ topics: [topic, deadLetterTopic] }).catch(() => undefined);
      await kafkaAdmin.disconnect().catch(() => undefined);
      await admin.query(`DROP DATABASE IF EXISTS \`${database}\``);
      await admin.end();
    },
  };
}

export type FaultHarness = Awaited<ReturnType<typeof createFaultHarness>>;
