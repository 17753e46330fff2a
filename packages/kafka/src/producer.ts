import { setTimeout as sleep } from 'node:timers/promises';
import {
  childTraceparent,
  type EventCodec,
  type OutgoingEvent,
  toKafkaHeaders,
} from '@commerce/events';
import type { Kafka, Message, Producer, RecordMetadata } from 'kafkajs';

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
 * in-sync replica and one request in flight, so events with the same key keep their order;
 * no retries of its own (see the constructor): a failed send fails whole and is sent again.
 * No compression: gzip cost ~20% of throughput on a local broker (bench/producer.ts, see
 * docs/benchmarks.md); snappy, lz4 and zstd need extra codec packages and were not measured.
 */
export class EventProducer {
  private readonly producer: Producer;
  private readonly codec: EventCodec;
  private readonly service: string;
  private connecting: Promise<void> | undefined;
  private connected = false;

  constructor({ kafka, codec, service }: EventProducerOptions) {
    this.producer = kafka.producer({
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      // No retries inside kafkajs: when a partition's leader moves during a send, kafkajs
      // 2.2.4 retries only the brokers without an answer yet, so the moved partition's
      // messages, now led by a broker that already answered, are never sent and the send
      // still resolves: acknowledged, lost (the fault suite found it: a broker SIGKILLed
      // under load). A failed send fails whole; the caller (the outbox) sends it again.
      retry: { retries: 0 },
      // Not idempotent (kafkajs refuses idempotence without retries, and gains nothing
      // here): the caller's next send is a different batch, and under the same producer
      // id it could reuse the sequence of a batch that reached the log unacknowledged and
      // be dropped by the broker as a duplicate, or fail for good with
      // OUT_OF_ORDER_SEQUENCE_NUMBER (both seen with a broker killed). A resent message is
      // at worst a duplicate, which consumers dedupe by event id.
      idempotent: false,
    });
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
    return this.send((producer) =>
      producer.sendBatch({
        acks: -1,
        topicMessages: [...byTopic].map(([topic, topicMessages]) => ({
          topic,
          messages: topicMessages,
        })),
      }),
    );
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
    return this.send((producer) => producer.send({ topic, acks: -1, messages }));
  }

  private async send<T>(request: (producer: Producer) => Promise<T>): Promise<T> {
    await this.connection();
    return request(this.producer);
  }
}
