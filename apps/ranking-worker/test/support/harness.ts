import { consumerGroups, EventCodec, registerAll, subjectSchemas, topics } from '@commerce/events';
import {
  type ConsumerRunner,
  type ConsumerRunnerEvents,
  createKafkaClient,
  EventProducer,
  ensureTopics,
} from '@commerce/kafka';
import { deleteKeys, groupLag, serviceEnv, stackAddresses, uniqueName } from '@commerce/testing';
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { type Config, readConfig } from '../../src/config.ts';

export const logger = pino({ level: process.env.LOG_LEVEL ?? 'silent' });
const stack = stackAddresses();

/** The environment of one isolated ranking-worker: its own topics, group and Redis keys. */
export function isolatedEnv(extra: Record<string, string> = {}) {
  const name = uniqueName('rw');
  return {
    ...serviceEnv(),
    RANKING_KEY_PREFIX: `${name}:ranking:`,
    KAFKA_NAME_PREFIX: `${name}.`,
    ...extra,
  };
}

/**
 * Kafka topics, a producer and Redis for one isolated worker environment; close() cleans up.
 * The stack's broker unless `extra` sets KAFKA_BROKERS (a broker of the test's own).
 */
export async function createWorkerHarness(extra: Record<string, string> = {}) {
  const env = isolatedEnv(extra);
  const config: Config = readConfig(env);
  await registerAll(stack.schemaRegistryUrl, subjectSchemas());
  const kafka = createKafkaClient({
    clientId: uniqueName('rw-test'),
    brokers: config.KAFKA_BROKERS,
    logger,
  });
  const admin = kafka.admin();
  await admin.connect();
  const prefix = config.KAFKA_NAME_PREFIX;
  const topic = prefix + topics.orderCompleted.name;
  const deadLetterTopic = prefix + consumerGroups.rankingWorker.deadLetterTopic;
  await ensureTopics(
    admin,
    [
      { name: topic, partitions: topics.orderCompleted.partitions },
      { name: deadLetterTopic, partitions: 1 },
    ],
    { replicationFactor: 1 },
  );
  const codec = new EventCodec(new SchemaRegistry({ host: stack.schemaRegistryUrl }));
  const producer = new EventProducer({ kafka, codec, service: 'test' });
  await producer.connect();
  const redis = new Redis(stack.redisUrl);
  const keyPrefix = config.RANKING_KEY_PREFIX;

  return {
    env,
    config,
    kafka,
    admin,
    redis,
    topic,
    deadLetterTopic,
    groupId: prefix + consumerGroups.rankingWorker.groupId,
    async publish(events: { userId: string }[]) {
      await producer.publish(
        events.map((payload) => ({
          topic,
          key: payload.userId,
          type: 'OrderCompleted' as const,
          payload: payload as never,
          correlationId: 'test',
        })),
      );
    },
    /** A message that is no event at all (poison), straight onto the topic. */
    async publishRaw(value: Buffer) {
      const raw = kafka.producer();
      await raw.connect();
      await raw.send({ topic, messages: [{ key: 'poison', value }] });
      await raw.disconnect();
    },
    /** The scores of one day's sorted set, as { productId: units }. */
    async day(day: string): Promise<Record<string, number>> {
      const flat = await redis.zrange(`${keyPrefix}daily:${day}`, 0, -1, 'WITHSCORES');
      const scores: Record<string, number> = {};
      for (let i = 0; i < flat.length; i += 2) scores[flat[i] as string] = Number(flat[i + 1]);
      return scores;
    },
    /** Committed offsets reach the end of every partition: the group has nothing left to do. */
    lag(): Promise<number> {
      return groupLag(admin, this.groupId, [topic]);
    },
    async close() {
      await producer.disconnect();
      await admin.deleteTopics({ topics: [topic, deadLetterTopic] }).catch(() => undefined);
      await admin.deleteGroups([this.groupId]).catch(() => undefined);
      await admin.disconnect();
      await deleteKeys(redis, keyPrefix);
      redis.disconnect();
    },
  };
}

export type WorkerHarness = Awaited<ReturnType<typeof createWorkerHarness>>;

/** Resolves once the runner emitted `event` `count` times. */
export function collect<E extends keyof ConsumerRunnerEvents>(
  runner: ConsumerRunner,
  event: E,
  count: number,
): Promise<ConsumerRunnerEvents[E][0][]> {
  const seen: ConsumerRunnerEvents[E][0][] = [];
  return new Promise((resolve) => {
    const listener = (...args: ConsumerRunnerEvents[E]) => {
      seen.push(args[0]);
      if (seen.length === count) {
        runner.off(event, listener as never);
        resolve(seen);
      }
    };
    runner.on(event, listener as never);
  });
}
