import { once } from 'node:events';
import { EventCodec, type EventPayloads, registerAll, subjectSchemas } from '@commerce/events';
import { stackAddresses, uniqueName } from '@commerce/testing';
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import type { Admin, Kafka, KafkaMessage } from 'kafkajs';
import { pino } from 'pino';
import {
  BatchConsumerRunner,
  type BatchConsumerRunnerOptions,
} from '../src/batch-consumer-runner.ts';
import { createKafkaClient } from '../src/client.ts';
import {
  ConsumerRunner,
  type ConsumerRunnerEvents,
  type ConsumerRunnerOptions,
} from '../src/consumer-runner.ts';
import { ensureTopics } from '../src/create-topics.ts';
import { EventProducer } from '../src/producer.ts';

export const logger = pino({ level: process.env.LOG_LEVEL ?? 'silent' });
const { kafkaBrokers, schemaRegistryUrl } = stackAddresses();

/** Everything one test needs against the real broker and registry, with its own names. */
export async function createHarness(brokers: readonly string[] = kafkaBrokers) {
  const kafka: Kafka = createKafkaClient({ clientId: uniqueName('test'), brokers, logger });
  const admin: Admin = kafka.admin();
  await admin.connect();
  const registered = await registerAll(schemaRegistryUrl, subjectSchemas());
  if (registered.some((r) => !r.compatible)) throw new Error('schemas failed to register');
  const codec = new EventCodec(new SchemaRegistry({ host: schemaRegistryUrl }));
  const producer = new EventProducer({ kafka, codec, service: 'test' });
  await producer.connect();
  const runners: { stop(): Promise<void> }[] = [];
  const topics: string[] = [];

  return {
    kafka,
    admin,
    codec,
    producer,
    async topic(partitions = 3): Promise<string> {
      const name = uniqueName('t');
      await ensureTopics(admin, [{ name, partitions }], { replicationFactor: 1 });
      topics.push(name);
      return name;
    },
    runner(
      options: Omit<ConsumerRunnerOptions, 'kafka' | 'codec' | 'logger' | 'onFatal'> &
        Partial<ConsumerRunnerOptions>,
    ) {
      const runner = new ConsumerRunner({
        kafka,
        codec,
        logger,
        onFatal: () => undefined,
        ...options,
      });
      runners.push(runner);
      return runner;
    },
    /** Publishes CouponIssueRequested events to `topic`, all with one key (one partition). */
    publishRequests(topic: string, payloads: EventPayloads['CouponIssueRequested'][], key = 'k') {
      return producer.publish(
        payloads.map((payload) => ({
          topic,
          key,
          type: 'CouponIssueRequested' as const,
          payload,
          correlationId: 'c',
        })),
      );
    },
    batchRunner(
      options: Omit<BatchConsumerRunnerOptions, 'kafka' | 'codec' | 'logger' | 'onFatal'> &
        Partial<BatchConsumerRunnerOptions>,
    ) {
      const runner = new BatchConsumerRunner({
        kafka,
        codec,
        logger,
        onFatal: () => undefined,
        ...options,
      });
      runners.push(runner);
      return runner;
    },
    /** Reads `count` messages of a topic from the beginning with a throwaway group. */
    async read(topic: string, count: number): Promise<(KafkaMessage & { partition: number })[]> {
      const consumer = kafka.consumer({ groupId: uniqueName('reader') });
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      const messages: (KafkaMessage & { partition: number })[] = [];
      await new Promise<void>((resolve, reject) => {
        consumer
          .run({
            eachMessage: async ({ message, partition }) => {
              messages.push({ ...message, partition });
              if (messages.length >= count) resolve();
            },
          })
          .catch(reject);
      });
      await consumer.disconnect();
      return messages;
    },
    /** Committed offset of every partition equals its end: the group has nothing left to do. */
    async lag(groupId: string, topic: string): Promise<number> {
      const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
      const ends = await admin.fetchTopicOffsets(topic);
      return ends.reduce((sum, end) => {
        const done = Number(
          committed?.partitions.find((p) => p.partition === end.partition)?.offset ?? -1,
        );
        return sum + Number(end.high) - Math.max(0, done);
      }, 0);
    },
    async close() {
      await Promise.allSettled(runners.map((r) => r.stop()));
      await producer.disconnect();
      await admin.deleteTopics({ topics }).catch(() => undefined);
      await admin.disconnect();
    },
  };
}

export type Harness = Awaited<ReturnType<typeof createHarness>>;

/** Resolves once the runner has emitted `event` `count` times (matching `filter`), with the payloads. */
export function collect<E extends keyof ConsumerRunnerEvents>(
  runner: ConsumerRunner | BatchConsumerRunner,
  event: E,
  count: number,
  filter: (...args: ConsumerRunnerEvents[E]) => boolean = () => true,
): Promise<ConsumerRunnerEvents[E][0][]> {
  const seen: ConsumerRunnerEvents[E][0][] = [];
  return new Promise((resolve) => {
    const listener = (...args: ConsumerRunnerEvents[E]) => {
      if (!filter(...args)) return;
      seen.push(args[0]);
      if (seen.length === count) {
        runner.off(event, listener as never);
        resolve(seen);
      }
    };
    runner.on(event, listener as never);
  });
}

export { once };
