import { setTimeout as sleep } from 'node:timers/promises';
import { consumerGroups, EventCodec, registerAll, subjectSchemas, topics } from '@commerce/events';
import {
  type BatchConsumerRunner,
  createKafkaClient,
  EventProducer,
  ensureTopics,
} from '@commerce/kafka';
import {
  type DedicatedDatabaseServer,
  groupLag,
  partitionOffsets,
  stackAddresses,
  uniqueName,
} from '@commerce/testing';
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { pino } from 'pino';
import { buildApp } from '../../src/app.ts';
import { type Config, readConfig } from '../../src/config.ts';
import { createConsumer } from '../../src/consumer.ts';
import { createAnalyticsPool } from '../../src/data-access/analytics-db.ts';
import { createDeps } from '../../src/deps.ts';
import { migratedDatabase } from './database.ts';
import type { TestEvent } from './events.ts';
import { readAggregates } from './read-aggregates.ts';

export const logger = pino({ level: process.env.LOG_LEVEL ?? 'silent' });
/** The operator key the read API is started with; send it as x-api-key. */
export const operatorHeaders = { 'x-api-key': 'test-operator-key-0123456789' };
const stack = stackAddresses();
const group = consumerGroups.analyticsWorker;
const topicOf = {
  OrderCompleted: topics.orderCompleted,
  ProductStockChanged: topics.productEvents,
  CouponIssueSucceeded: topics.couponResults,
  CouponIssueFailed: topics.couponResults,
} as const;

/**
 * One isolated analytics-worker environment: its own database (migrated; on `databaseServer`
 * if given, to stop it), topics, group and dead-letter topic; a producer; workers in this
 * process or as real processes (env).
 */
export async function createHarness(
  extra: Record<string, string> = {},
  options: { databaseServer?: DedicatedDatabaseServer } = {},
) {
  const database = await migratedDatabase(options.databaseServer?.mysql);
  const prefix = `${uniqueName('aw')}.`;
  const env: Record<string, string> = {
    KAFKA_BROKERS: stack.kafkaBrokers.join(','),
    SCHEMA_REGISTRY_URL: stack.schemaRegistryUrl,
    DATABASE_URL: database.url,
    OPERATOR_API_KEY: operatorHeaders['x-api-key'],
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
    KAFKA_NAME_PREFIX: prefix,
    BATCH_MAX_WAIT_MS: '100',
    CONSUMER_SESSION_TIMEOUT_MS: '6000',
    CONSUMER_PAUSE_MS: '200',
    ...extra,
  };
  const config: Config = readConfig(env);
  await registerAll(stack.schemaRegistryUrl, subjectSchemas());
  const kafka = createKafkaClient({
    clientId: uniqueName('aw-test'),
    brokers: stack.kafkaBrokers,
    logger,
  });
  const admin = kafka.admin();
  await admin.connect();
  const consumed = group.topics.map((t) => prefix + t);
  const deadLetterTopic = prefix + group.deadLetterTopic;
  await ensureTopics(
    admin,
    [
      ...consumed.map((name) => ({ name, partitions: 3 })),
      { name: deadLetterTopic, partitions: 1 },
    ],
    { replicationFactor: 1 },
  );
  const codec = new EventCodec(new SchemaRegistry({ host: stack.schemaRegistryUrl }));
  const producer = new EventProducer({ kafka, codec, service: 'test' });
  await producer.connect();
  const pool = createAnalyticsPool(database.url, 2);
  const groupId = prefix + group.groupId;
  const stops: (() => Promise<void>)[] = [];
  let lastTrxRead = 0;

  return {
    env,
    config,
    kafka,
    admin,
    codec,
    pool,
    groupId,
    deadLetterTopic,
    topicOf: (type: TestEvent['type']) => prefix + topicOf[type].name,
    async publish(events: readonly TestEvent[]) {
      for (let i = 0; i < events.length; i += 500)
        await producer.publish(
          events.slice(i, i + 500).map(({ type, payload }) => ({
            topic: prefix + topicOf[type].name,
            key: 'userId' in payload ? payload.userId : payload.productId,
            type,
            payload: payload as never,
            correlationId: 'test',
          })),
        );
    },
    /** Messages of the three topics the group has not committed yet. */
    lag: () => groupLag(admin, groupId, consumed),
    /** The group's committed offset of each partition ("topic/partition" → offset, 0 if none). */
    async committed(): Promise<Record<string, number>> {
      return Object.fromEntries(
        (await partitionOffsets(admin, groupId, consumed)).map((p) => [
          `${p.topic}/${p.partition}`,
          p.committed,
        ]),
      );
    },
    /**
     * Rewinds the (stopped) group to the earliest offset of every topic: a replay. Deleting
     * the group does it in one call (the runner starts a group without offsets at the
     * earliest); kafkajs's resetOffsets joins the group once per topic, 5 s each.
     */
    async resetToEarliest() {
      await admin.deleteGroups([groupId]);
    },
    aggregates: () => readAggregates(pool),
    /**
     * Transactions open right now on this test's database (a flush in progress). InnoDB
     * refreshes INNODB_TRX only when it was not read for 100 ms (a read sooner gets the
     * cached table, stale for as long as the polling goes on), so reads are spaced 120 ms.
     */
    async openTransactions(): Promise<number> {
      await sleep(Math.max(0, lastTrxRead + 120 - Date.now()));
      const [row] = await pool.query(
        `SELECT COUNT(*) AS n FROM information_schema.INNODB_TRX t
         JOIN information_schema.PROCESSLIST p ON p.ID = t.trx_mysql_thread_id WHERE p.DB = DATABASE()`,
      );
      lastTrxRead = Date.now();
      return Number(row.n);
    },
    /** A worker in this process: consumer, read API and clients; stop() shuts it down. */
    async worker(overrides: Record<string, string> = {}) {
      const workerConfig = readConfig({ ...env, ...overrides });
      const deps = await createDeps(workerConfig, logger);
      const runner: BatchConsumerRunner = createConsumer(deps, () => undefined);
      const app = await buildApp(deps);
      await runner.start();
      let stopped = false;
      const stop = async () => {
        if (stopped) return;
        stopped = true;
        await app.close();
        await runner.stop();
        await deps.close();
      };
      stops.push(stop);
      return { deps, runner, app, stop };
    },
    async close() {
      for (const stop of stops) await stop().catch(() => undefined);
      await producer.disconnect();
      await admin.deleteGroups([groupId]).catch(() => undefined);
      await admin.deleteTopics({ topics: [...consumed, deadLetterTopic] }).catch(() => undefined);
      await admin.disconnect();
      await pool.end();
      await database.drop();
    },
  };
}

export type Harness = Awaited<ReturnType<typeof createHarness>>;
