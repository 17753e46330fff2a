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
 * in-sync replica, idempotent (no duplicates from the producer's own retries) and one
 * request in flight, so events with the same key keep their order even across retries.
 * No compression: gzip cost ~20% of throughput on a local broker (bench/producer.ts, see
 * docs/benchmarks.md); snappy, lz4 and zstd need extra codec packages and were not measured.
 */
export class EventProducer {
  private readonly producer: Producer;
  private readonly codec: EventCodec;
  private readonly service: string;

  constructor({ kafka, codec, service }: EventProducerOptions) {
    this.producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
    });
    this.codec = codec;
    this.service = service;
  }

  connect(): Promise<void> {
    return this.producer.connect();
  }

  disconnect(): Promise<void> {
    return this.producer.disconnect();
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
  sendEncoded(messages: readonly EncodedEvent[]): Promise<RecordMetadata[]> {
    const byTopic = new Map<string, Message[]>();
    for (const { topic, ...message } of messages) {
      const topicMessages = byTopic.get(topic) ?? [];
      topicMessages.push(message);
      byTopic.set(topic, topicMessages);
    }
    return this.producer.sendBatch({
      acks: -1,
      topicMessages: [...byTopic].map(([topic, topicMessages]) => ({
        topic,
        messages: topicMessages,
      })),
    });
  }

  /** Sends already-encoded messages (dead letters, replays) with the same guarantees. */
  sendRaw(
    topic: string,
    messages: {
      key: Buffer | string | null;
      value: Buffer | null;
      headers: Record<string, Buffer | string>;
    }[],
  ) {
    return this.producer.send({ topic, acks: -1, messages });
  }
}
