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
import { Timeline } from './timeline.ts';

export const logger = pino({ level: process.env.LOG_LEVEL ?? 'silent' });
const { mysql, schemaRegistryUrl } = stackAddresses();

// What a consumer's effect leaves: no unique key, so an effect applied twice shows as two rows.
const effectsTableSql = `CREATE TABLE effects (
    event_id CHAR(36) NOT NULL,
    member VARCHAR(100) NOT NULL,
    kafka_partition INT NOT NULL,
    applied_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
)`;

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

  const count = async (sql: string): Promise<number> => {
    const [row] = await pool.query(sql);
    return Number(Object.values(row as object)[0]);
  };

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
    async lag(groupId: string): Promise<number> {
      const [committed] = await kafkaAdmin.fetchOffsets({ groupId, topics: [topic] });
      const ends = await kafkaAdmin.fetchTopicOffsets(topic);
      const done = new Map(committed?.partitions.map((p) => [p.partition, Number(p.offset)]));
      return ends.reduce(
        (sum, end) => sum + Number(end.high) - Math.max(0, done.get(end.partition) ?? 0),
        0,
      );
    },
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
    written: () => count('SELECT COUNT(*) FROM outbox_events'),
    unpublished: () => count('SELECT COUNT(*) FROM outbox_events WHERE published_at IS NULL'),
    /** Rows created after `since` (ms epoch) that are marked published. */
    publishedSince: (since: number) =>
      count(
        `SELECT COUNT(*) FROM outbox_events WHERE published_at IS NOT NULL AND created_at > FROM_UNIXTIME(${since / 1000})`,
      ),
    /** Written events without an effect (lost), and events whose effect was applied twice. */
    async audit() {
      return {
        written: await count('SELECT COUNT(*) FROM outbox_events'),
        lost: await count(
          'SELECT COUNT(*) FROM outbox_events o WHERE NOT EXISTS (SELECT 1 FROM effects e WHERE e.event_id = o.event_id)',
        ),
        doubled: await count(
          'SELECT COUNT(*) FROM (SELECT event_id FROM effects GROUP BY event_id HAVING COUNT(*) > 1) d',
        ),
        /** Deliveries the event-id dedupe absorbed (allowed by at least once). */
        redelivered: await count('SELECT COALESCE(SUM(redeliveries), 0) FROM processed_events'),
      };
    },
    /**
     * Where the rows without an effect are: on the topic (partition@offset: the consumer
     * skipped them) or not (marked published, never in Kafka). For a failing test's message.
     */
    async whereAreTheLost(): Promise<Record<string, string>> {
      const lost: { event_id: string; id: bigint; attempts: number }[] = await pool.query(
        'SELECT event_id, id, attempts FROM outbox_events o WHERE NOT EXISTS (SELECT 1 FROM effects e WHERE e.event_id = o.event_id) LIMIT 20',
      );
      const found = new Map<string, string>();
      const ends = await kafkaAdmin.fetchTopicOffsets(topic);
      let remaining = ends.reduce((sum, end) => sum + Number(end.high), 0);
      const reader = kafka.consumer({ groupId: uniqueName('faults-reader') });
      await reader.connect();
      await reader.subscribe({ topics: [topic], fromBeginning: true });
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 60_000);
        void reader.run({
          eachMessage: async ({ partition, message }) => {
            const eventId = message.headers?.['event-id']?.toString();
            if (eventId) found.set(eventId, `${partition}@${message.offset}`);
            if (--remaining <= 0) {
              clearTimeout(timer);
              resolve();
            }
          },
        });
      });
      await reader.disconnect();
      return Object.fromEntries(
        lost.map((row) => [
          `${row.id}:${row.event_id}`,
          `${found.get(row.event_id) ?? 'not on the topic'} (attempts ${row.attempts})`,
        ]),
      );
    },
    /** Per member, the partitions whose events it applied after `since` (ms epoch). */
    async partitionsByMember(since = 0): Promise<Record<string, number[]>> {
      const rows: { member: string; kafka_partition: number }[] = await pool.query(
        `SELECT DISTINCT member, kafka_partition FROM effects WHERE applied_at > FROM_UNIXTIME(${since / 1000}) ORDER BY kafka_partition`,
      );
      const byMember: Record<string, number[]> = {};
      for (const { member, kafka_partition } of rows)
        byMember[member] = [...(byMember[member] ?? []), kafka_partition];
      return byMember;
    },
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

/** Polls `check` until it returns true, at most `timeoutMs`; throws `what` otherwise. */
export async function waitFor(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  intervalMs = 250,
): Promise<number> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  return Date.now() - started;
}

/** The node leading partition 0 of `topic` (the stack numbers nodes 1, 2, 3 as their node.id). */
export async function leaderOf(kafka: FaultHarness['kafka'], topic: string): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const [metadata] = (await admin.fetchTopicMetadata({ topics: [topic] })).topics;
    const leader = metadata?.partitions.find((p) => p.partitionId === 0)?.leader;
    if (leader === undefined) throw new Error(`no leader for ${topic}/0`);
    return leader;
  } finally {
    await admin.disconnect();
  }
}
