// What both benchmarks share: the local stack, the registry codec, throwaway topics, and the
// project's own producer publishing real OrderCompleted events.
import { EventCodec, registerAll, subjectSchemas } from '@commerce/events';
import { anEvent } from '@commerce/events/testing';
import { stackAddresses, uniqueName } from '@commerce/testing';
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import type { CompressionTypes, Kafka, ProducerBatch } from 'kafkajs';
import { pino } from 'pino';
import { createKafkaClient } from '../src/client.ts';
import { ensureTopics } from '../src/create-topics.ts';
import { EventProducer, type OutgoingEvent } from '../src/producer.ts';

// Errors only: kafkajs warns on every producer it creates (idempotent with limited
// retries); a service prints that once, the benchmark twenty times between its figures.
export const logger = pino({ level: process.env.LOG_LEVEL ?? 'error' });
export const { kafkaBrokers, schemaRegistryUrl } = stackAddresses();

export type BenchContext = Awaited<ReturnType<typeof benchContext>>;

/** Registers the schemas (the codec only looks ids up) and opens an admin for topics and groups. */
export async function benchContext() {
  const registered = await registerAll(schemaRegistryUrl, subjectSchemas());
  if (registered.some((r) => !r.compatible)) throw new Error('schemas failed to register');
  const kafka: Kafka = createKafkaClient({
    clientId: uniqueName('bench'),
    brokers: kafkaBrokers,
    logger,
  });
  const codec = new EventCodec(new SchemaRegistry({ host: schemaRegistryUrl }));
  await codec.preload(['OrderCompleted']);
  const admin = kafka.admin();
  await admin.connect();
  const topics: string[] = [];
  const groups: string[] = [];
  return {
    kafka,
    codec,
    /** A fresh 3-partition topic, deleted by close(). */
    async topic(): Promise<string> {
      const name = uniqueName('bench');
      await ensureTopics(admin, [{ name, partitions: 3 }], { replicationFactor: 1 });
      topics.push(name);
      return name;
    },
    /** A new consumer group name, deleted by close(). */
    group(prefix: string): string {
      groups.push(uniqueName(prefix));
      return groups.at(-1) as string;
    },
    async close() {
      if (groups.length > 0) {
        await admin.deleteGroups(groups).catch((err) => logger.warn({ err }, 'groups left'));
      }
      await admin.deleteTopics({ topics }).catch((err) => logger.warn({ err }, 'topics left'));
      await admin.disconnect();
    },
  };
}

// Six order lines bring the Avro encoding (5-byte wire header included) to ~256 bytes,
// the record size ProducerPerformance is given; printed by the producer benchmark.
const lines = Array.from({ length: 6 }, (_, i) => ({
  productId: `product-${1000 + i}`,
  quantity: 1 + i,
  unitPrice: 1_290_000,
}));

/** The i-th event of a run, for buyer `userId` (the key, as in production). */
export function orderEvent(
  topic: string,
  i: number,
  userId: string,
): OutgoingEvent<'OrderCompleted'> {
  const payload = anEvent('OrderCompleted', { userId, items: lines, totalAmount: 27_090_000 });
  return { topic, key: userId, type: 'OrderCompleted', payload, correlationId: `req-${i}` };
}

/** Bytes of an event's Kafka value (Avro plus the 5-byte wire header) for buyer `userId`. */
export async function encodedSize(ctx: BenchContext, userId = 'user-0-42'): Promise<number> {
  const event = orderEvent('t', 0, userId);
  return (await ctx.codec.encode(event.type, event.payload)).length;
}

export interface PublishPlan {
  /** Events per publish() call. */
  batchSize: number;
  /** publish() calls in flight at once, each on its own keys so per-key order holds. */
  lanes: number;
  /** Only to measure compression: EventProducer has no such option. */
  compression?: CompressionTypes;
}

/**
 * Publishes `count` events through a new EventProducer and returns messages per second,
 * connection excluded (a service connects once). Lane j publishes every lanes-th batch,
 * keyed on buyers of its own, so concurrent publishes never share a key.
 */
export async function publishAll(
  ctx: BenchContext,
  topic: string,
  count: number,
  plan: PublishPlan,
): Promise<number> {
  const kafka =
    plan.compression === undefined ? ctx.kafka : compressing(ctx.kafka, plan.compression);
  const producer = new EventProducer({ kafka, codec: ctx.codec, service: 'bench' });
  await producer.connect();
  try {
    const started = performance.now();
    // Events are built inside the timing, as a service builds them: under 1% of the CPU.
    const lane = async (j: number) => {
      for (let first = j * plan.batchSize; first < count; first += plan.lanes * plan.batchSize) {
        const events = [];
        for (let i = first; i < Math.min(first + plan.batchSize, count); i++) {
          events.push(orderEvent(topic, i, `user-${j}-${i % 331}`));
        }
        await producer.publish(events);
      }
    };
    await Promise.all(Array.from({ length: plan.lanes }, (_, j) => lane(j)));
    return count / ((performance.now() - started) / 1000);
  } finally {
    await producer.disconnect();
  }
}

/** The same client, but every sendBatch of its producers compressed: no change to src/ needed. */
function compressing(kafka: Kafka, compression: CompressionTypes): Kafka {
  const producer: Kafka['producer'] = (config) => {
    const inner = kafka.producer(config);
    const sendBatch = inner.sendBatch.bind(inner);
    return Object.assign(inner, {
      sendBatch: (batch: ProducerBatch) => sendBatch({ ...batch, compression }),
    });
  };
  return Object.assign(Object.create(kafka), { producer });
}
