import { freshDatabase } from '@commerce/db/testing';
import {
  consumerGroups,
  EventCodec,
  type EventPayloads,
  registerAll,
  subjectSchemas,
  topics,
} from '@commerce/events';
import { anEvent } from '@commerce/events/testing';
import { createKafkaClient, EventProducer, ensureTopics } from '@commerce/kafka';
import {
  type DedicatedDatabaseServer,
  groupLag,
  partitionOffsets,
  serviceEnv,
  uniqueName,
  waitFor,
} from '@commerce/testing';
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { pino } from 'pino';
import { buildApp } from '../../src/app.ts';
import { readConfig } from '../../src/config.ts';
import { createConsumer } from '../../src/consumer.ts';
import { createWebhookPool, webhookMigrationsDir } from '../../src/data-access/webhook-db.ts';
import { createDeps } from '../../src/deps.ts';

export const OPERATOR_KEY = 'test-operator-key-0123456789';
export const logger = pino({ level: process.env.LOG_LEVEL ?? 'silent' });

/**
 * One isolated webhook-relay environment: its own database (migrated; on `databaseServer`
 * if given, to stop it), external-events and dead-letter topics under a unique prefix, a
 * producer, and relays in this process (or as real processes, from `env`).
 */
export async function createHarness(
  extra: Record<string, string> = {},
  options: { databaseServer?: DedicatedDatabaseServer } = {},
) {
  const database = await freshDatabase(
    webhookMigrationsDir,
    'webhooks',
    options.databaseServer?.mysql,
  );
  const prefix = `${uniqueName('wr')}.`;
  const env: Record<string, string> = {
    ...serviceEnv(),
    DATABASE_URL: database.url,
    OPERATOR_API_KEY: OPERATOR_KEY,
    KAFKA_NAME_PREFIX: prefix,
    DESTINATION_ALLOW_LIST: '127.0.0.0/8,::1/128',
    RETRY_JITTER: '0',
    ...extra,
  };
  const stackEnv = serviceEnv();
  await registerAll(stackEnv.SCHEMA_REGISTRY_URL as string, subjectSchemas());
  const kafka = createKafkaClient({
    clientId: uniqueName('wr-test'),
    brokers: (stackEnv.KAFKA_BROKERS as string).split(','),
    logger,
  });
  const admin = kafka.admin();
  await admin.connect();
  const externalEvents = prefix + topics.externalEvents.name;
  const deadLetterTopic = prefix + consumerGroups.webhookRelay.deadLetterTopic;
  await ensureTopics(
    admin,
    [
      { name: externalEvents, partitions: 3 },
      { name: deadLetterTopic, partitions: 1 },
    ],
    { replicationFactor: 1 },
  );
  const codec = new EventCodec(
    new SchemaRegistry({ host: stackEnv.SCHEMA_REGISTRY_URL as string }),
  );
  const producer = new EventProducer({ kafka, codec, service: 'test' });
  await producer.connect();
  const pool = createWebhookPool(database.url, 2);
  const stops: (() => Promise<void>)[] = [];
  const groupId = prefix + consumerGroups.webhookRelay.groupId;

  return {
    env,
    prefix,
    kafka,
    codec,
    pool,
    externalEvents,
    deadLetterTopic,
    /** Events on external-events the group has not committed yet. */
    lag: () => groupLag(admin, groupId, [externalEvents]),
    /** The group's committed offset of each partition of external-events (0 if none). */
    async committed(): Promise<Record<number, number>> {
      return Object.fromEntries(
        (await partitionOffsets(admin, groupId, [externalEvents])).map((p) => [
          p.partition,
          p.committed,
        ]),
      );
    },
    /** Publishes PaymentCompleted events to external-events; returns them. */
    async publishPayments(
      count: number,
      overrides: Partial<EventPayloads['PaymentCompleted']> = {},
    ) {
      const events = Array.from({ length: count }, () => anEvent('PaymentCompleted', overrides));
      for (let i = 0; i < events.length; i += 500)
        await producer.publish(
          events.slice(i, i + 500).map((payload) => ({
            topic: externalEvents,
            key: payload.orderId,
            type: 'PaymentCompleted' as const,
            payload,
            correlationId: 'test',
          })),
        );
      return events;
    },
    /** Publishes CouponIssued events to external-events; returns them. */
    async publishCoupons(count: number) {
      const events = Array.from({ length: count }, () => anEvent('CouponIssued'));
      await producer.publish(
        events.map((payload) => ({
          topic: externalEvents,
          key: payload.userCouponId,
          type: 'CouponIssued' as const,
          payload,
          correlationId: 'test',
        })),
      );
      return events;
    },
    /** A relay in this process: consumer, scheduler, outbox relay and operator API. */
    async relay(overrides: Record<string, string> = {}) {
      const config = readConfig({ ...env, ...overrides });
      const deps = await createDeps(config, logger);
      const app = await buildApp(deps);
      const consumer = createConsumer(deps, (err) => logger.error({ err }, 'fatal'));
      deps.relay.start();
      deps.scheduler.start();
      await consumer.start();
      let stopped = false;
      const stop = async () => {
        if (stopped) return;
        stopped = true;
        await app.close();
        await consumer.stop();
        await deps.scheduler.stop();
        await deps.close();
      };
      stops.push(stop);
      const api = async (
        method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
        url: string,
        payload?: object,
      ) => {
        const response = await app.inject({
          method,
          url,
          headers: { 'x-api-key': OPERATOR_KEY },
          ...(payload === undefined ? {} : { payload }),
        });
        return { status: response.statusCode, body: response.body ? response.json() : undefined };
      };
      return { deps, app, consumer, stop, api };
    },
    /** Rows of a table of the test's database. */
    query: <T>(sql: string, values: unknown[] = []): Promise<T[]> => pool.query(sql, values),
    /** Waits (bounded) until `check` holds, polling the database. */
    waitFor,
    async close() {
      for (const stop of stops.reverse()) await stop().catch(() => undefined);
      await producer.disconnect();
      await admin.deleteGroups([groupId]).catch(() => undefined);
      await admin
        .deleteTopics({ topics: [externalEvents, deadLetterTopic] })
        .catch(() => undefined);
      await admin.disconnect();
      await pool.end();
      await database.drop();
    },
  };
}

export type Harness = Awaited<ReturnType<typeof createHarness>>;
export type Relay = Awaited<ReturnType<Harness['relay']>>;
