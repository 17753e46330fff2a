import type { EventPayloads, EventType } from './contracts.generated.ts';

/**
 * An event a service means to publish: what the domain hands to the outbox or a producer.
 * It lives with the contracts so domain code can name it without depending on Kafka.
 */
export interface OutgoingEvent<T extends EventType = EventType> {
  topic: string;
  key: string;
  type: T;
  payload: EventPayloads[T];
  correlationId: string;
  /** The producing request's span; the message gets a child span of it. */
  traceparent?: string;
}
