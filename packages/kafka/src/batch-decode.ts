import { fromKafkaHeaders } from '@commerce/events';
import type { KafkaMessage } from 'kafkajs';
import type { BatchConsumerRunnerOptions, DecodedRecord } from './batch-types.ts';
import { checkEnvelope } from './envelope.ts';
import { PermanentError } from './errors.ts';

/** Each message of a slice in offset order: decoded, or poison with the reason. */
export type SliceEntry =
  | { message: KafkaMessage; record: DecodedRecord; error?: undefined }
  | { message: KafkaMessage; record?: undefined; error: unknown };

/**
 * Decodes and validates the messages of a slice. A message that can never be read
 * (undecodable, unknown schema, unexpected type, a bad envelope, invalid) is set aside as poison; any other
 * failure (the registry away) is thrown, so the whole slice is retried.
 */
export async function decodeSlice(
  options: Pick<BatchConsumerRunnerOptions, 'codec' | 'eventTypes' | 'validate' | 'groupId'>,
  classify: (err: unknown) => string,
  batch: { topic: string; partition: number },
  messages: KafkaMessage[],
): Promise<SliceEntry[]> {
  const accepted = new Set<string>(options.eventTypes);
  const entries: SliceEntry[] = [];
  for (const message of messages) {
    try {
      const event = await options.codec.decode(message.value);
      if (!accepted.has(event.type)) {
        throw new PermanentError(
          'UNEXPECTED_EVENT_TYPE',
          `${options.groupId} does not handle ${event.type}`,
        );
      }
      const headers = fromKafkaHeaders(message.headers);
      checkEnvelope(message, event, headers);
      const record = {
        type: event.type,
        payload: event.payload,
        topic: batch.topic,
        partition: batch.partition,
        offset: message.offset,
        key: message.key?.toString() ?? null,
        headers,
      } as DecodedRecord;
      options.validate?.(record);
      entries.push({ message, record });
    } catch (error) {
      if (classify(error) !== 'permanent') throw error;
      entries.push({ message, error });
    }
  }
  return entries;
}
