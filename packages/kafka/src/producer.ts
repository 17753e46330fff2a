import { setTimeout as sleep } from 'node:timers/promises';
import {
  childTraceparent,
  type EventCodec,
  type OutgoingEvent,
  toKafkaHeaders,
} from '@commerce/events';
import {
  type Kafka,
  type Message,
  Partitioners,
  type Producer,
  type RecordMetadata,
} from 'kafkajs';
import { type TopicPartition, UnacknowledgedSendError, unacknowledged } from './acknowledged.ts';

// Defined with the contracts (domain code names it without Kafka); re-exported for the outbox.
export type { OutgoingEvent };

export interface EncodedEvent {
  topic: string;
  key: string;
  value: Buffer;
  headers: Record<string, string>;
}

export interface EventProducerOptions {
  kafka: Kafka;
  codec: EventCodec;
  /** Written into the `producer` header of every message. */
  service: string;
}

/**
 * Publishes events: Avro through the registry, the standard headers, acks from every
 * in-sync replica, idempotent (no duplicates from the producer's own retries) and one
 * request in flight, so events with the same key keep their order even across retries.
 * No compression: gzip cost ~20% of throughput on a local broker (bench/producer.ts, see
 * docs/benchmarks.md); snappy, lz4 and zstd need extra codec packages and were not measured.
 */
export class EventProducer {
  private producer: Producer;
  private readonly newProducer: () => Producer;
  private readonly codec: EventCodec;
  private readonly service: string;
  private connecting: Promise<void> | undefined;
  /** Sends in flight per producer, so a replaced one is disconnected only when idle. */
  private readonly pending = new Map<Producer, number>();
  private connected = false;
  /** The partition kafkajs chose for each message of a send (its last attempt's choice). */
  private readonly partitionOf = new WeakMap<Message, number>();

  constructor({ kafka, codec, service }: EventProducerOptions) {
    // kafkajs' own partitioner (murmur2 on the key, as Java's), watched so a send can check
    // that every partition it wrote to was acknowledged (see acknowledged.ts).
    const createPartitioner = () => {
      const choose = Partitioners.DefaultPartitioner();
      return (args: Parameters<typeof choose>[0]) => {
        const partition = choose(args);
        this.partitionOf.set(args.message, partition);
        return partition;
      };
    };
    this.newProducer = () =>
      kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: false,
        createPartitioner,
      });
    this.producer = this.newProducer();
    this.codec = codec;
    this.service = service;
  }

  /**
   * Connects, waiting at most `waitMs`; true once connected. When no broker answers (Kafka
   * down while a service starts) it resolves false and the next send connects first: the
   * service starts, its /readyz says 503 and its outbox keeps what cannot be sent, instead
   * of the process dying at start-up before it can answer anything (fault suite, issue 14).
   */
  async connect(waitMs = 10_000): Promise<boolean> {
    const attempt = this.connection().then(
      () => true,
      () => false,
    );
    return Promise.race([attempt, sleep(waitMs, false, { ref: false })]);
  }

  disconnect(): Promise<void> {
    this.connected = false;
    this.connecting = undefined;
    return this.producer.disconnect();
  }

  /**
   * A new idempotent producer (a new producer id, sequences from 0), after any failed send.
   * Idempotence protects a batch the producer retries itself; the caller (the outbox) sends
   * a different batch next time, and with the old id it could reuse the sequence numbers of
   * a batch that reached the log without an ack (leader SIGKILLed mid-send): the broker
   * then drops the new messages as duplicates and acknowledges them, a silent loss the fault
   * suite caught. kafkajs 2.2.4 can also keep a sequence a new leader never saw and fail
   * every later send with OUT_OF_ORDER_SEQUENCE_NUMBER, for good. With a new id, a resent
   * message is at worst a duplicate, which consumers dedupe by event id.
   */
  private renew(): void {
    this.producer = this.newProducer();
    this.connected = false;
    this.connecting = undefined;
  }

  /** One connection attempt at a time; a failed one is forgotten, so the next send tries again. */
  private connection(): Promise<void> {
    if (this.connected) return Promise.resolve();
    this.connecting ??= this.producer.connect().then(
      () => {
        this.connected = true;
        this.connecting = undefined;
      },
      (err: unknown) => {
        this.connecting = undefined;
        throw err;
      },
    );
    return this.connecting;
  }

  /** Sends every event in one batch (one request per broker); resolves when all are acknowledged. */
  async publish(events: readonly OutgoingEvent[]): Promise<RecordMetadata[]> {
    return this.sendEncoded(await Promise.all(events.map((event) => this.encode(event))));
  }

  /** The Kafka message of an event: Avro value, key, standard headers. Fails on an invalid event. */
  async encode(event: OutgoingEvent): Promise<EncodedEvent> {
    return {
      topic: event.topic,
      key: event.key,
      value: await this.codec.encode(event.type, event.payload),
      headers: toKafkaHeaders({
        eventId: event.payload.eventId,
        eventType: event.type,
        correlationId: event.correlationId,
        traceparent: childTraceparent(event.traceparent),
        producer: this.service,
      }),
    };
  }

  /** Sends encoded events in one batch; the order of same-topic messages is kept. */
  async sendEncoded(messages: readonly EncodedEvent[]): Promise<RecordMetadata[]> {
    const byTopic = new Map<string, Message[]>();
    for (const { topic, ...message } of messages) {
      const topicMessages = byTopic.get(topic) ?? [];
      topicMessages.push(message);
      byTopic.set(topic, topicMessages);
    }
    const topicMessages = [...byTopic].map(([topic, topicMessages]) => ({
      topic,
      messages: topicMessages,
    }));
    return this.send(topicMessages, (producer) => producer.sendBatch({ acks: -1, topicMessages }));
  }

  /** Sends already-encoded messages (dead letters, replays) with the same guarantees. */
  async sendRaw(
    topic: string,
    messages: {
      key: Buffer | string | null;
      value: Buffer | null;
      headers: Record<string, Buffer | string>;
    }[],
  ) {
    return this.send([{ topic, messages }], (producer) =>
      producer.send({ topic, acks: -1, messages }),
    );
  }

  /**
   * One send on the current producer; a failure renews it (see renew). It fails, too, when
   * kafkajs resolves it without acknowledging a partition it wrote to: the caller (the
   * outbox) then keeps the rows and sends them again, at worst as duplicates.
   */
  private async send(
    topicMessages: readonly { topic: string; messages: readonly Message[] }[],
    request: (producer: Producer) => Promise<RecordMetadata[]>,
  ): Promise<RecordMetadata[]> {
    await this.connection();
    const producer = this.producer;
    this.pending.set(producer, (this.pending.get(producer) ?? 0) + 1);
    try {
      const acknowledged = await request(producer);
      const missing = unacknowledged(this.partitionsOf(topicMessages), acknowledged);
      if (missing.length > 0) throw new UnacknowledgedSendError(missing);
      return acknowledged;
    } catch (err) {
      if (producer === this.producer) this.renew();
      throw err;
    } finally {
      const left = (this.pending.get(producer) ?? 1) - 1;
      this.pending.set(producer, left);
      // A replaced producer goes once its last send settled: cutting it off earlier would
      // fail sends of other keys that are doing fine.
      if (left === 0 && producer !== this.producer) {
        this.pending.delete(producer);
        void producer.disconnect().catch(() => undefined);
      }
    }
  }

  private *partitionsOf(
    topicMessages: readonly { topic: string; messages: readonly Message[] }[],
  ): Generator<TopicPartition> {
    for (const { topic, messages } of topicMessages) {
      for (const message of messages) {
        const partition = this.partitionOf.get(message);
        if (partition !== undefined) yield { topic, partition };
      }
    }
  }
}
