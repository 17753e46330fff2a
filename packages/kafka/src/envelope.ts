import { type EventHeaders, headerNames } from '@commerce/events';
import type { KafkaMessage } from 'kafkajs';
import { PermanentError } from './errors.ts';

/**
 * What every consumer checks of a decoded message beyond its value: a message that fails
 * is poison (dead-lettered with its coordinates), since no retry can make it right.
 * - A key: every topic in the catalog is keyed (same key, same partition, same order), so
 *   a message without one did not come from this system's producers.
 * - The standard headers once each, and agreeing with the value: a message whose
 *   `event-type` or `event-id` header says something else than its value would be traced,
 *   logged and deduplicated as another event than the one applied.
 */
export function checkEnvelope(
  message: Pick<KafkaMessage, 'key' | 'headers'>,
  event: { type: string; payload: { eventId: string } },
  headers: Partial<EventHeaders>,
): void {
  if (message.key === null || message.key.length === 0) {
    throw new PermanentError('KEY_MISSING', 'the message has no key; every topic is keyed');
  }
  for (const name of Object.values(headerNames)) {
    const value = message.headers?.[name];
    if (Array.isArray(value) && value.length > 1) {
      throw new PermanentError(
        'MALFORMED_HEADERS',
        `the ${name} header appears ${value.length} times`,
      );
    }
  }
  if (headers.eventType !== undefined && headers.eventType !== event.type) {
    throw new PermanentError(
      'MALFORMED_HEADERS',
      `the event-type header says ${headers.eventType}; the value is a ${event.type}`,
    );
  }
  if (headers.eventId !== undefined && headers.eventId !== event.payload.eventId) {
    throw new PermanentError(
      'MALFORMED_HEADERS',
      `the event-id header says ${headers.eventId}; the value's eventId is ${event.payload.eventId}`,
    );
  }
}
