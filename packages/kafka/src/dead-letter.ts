import type { IHeaders, KafkaMessage } from 'kafkajs';

/** Headers a dead-lettered message carries on top of its original ones (Kafka Connect style). */
export const deadLetterHeaders = {
  topic: 'dlq-original-topic',
  partition: 'dlq-original-partition',
  offset: 'dlq-original-offset',
  consumerGroup: 'dlq-consumer-group',
  errorCode: 'dlq-error-code',
  errorMessage: 'dlq-error-message',
  attempts: 'dlq-attempts',
  failedAt: 'dlq-failed-at',
} as const;

export interface DeadLetterInput {
  topic: string;
  partition: number;
  message: KafkaMessage;
  consumerGroup: string;
  errorCode: string;
  errorMessage: string;
  attempts: number;
}

/**
 * The dead-letter message: the original key and value byte for byte (so a replay is a
 * plain re-send), the original headers, and where it came from and why it failed.
 */
export function toDeadLetter(input: DeadLetterInput) {
  const headers: IHeaders = { ...input.message.headers };
  Object.assign(headers, {
    [deadLetterHeaders.topic]: input.topic,
    [deadLetterHeaders.partition]: String(input.partition),
    [deadLetterHeaders.offset]: input.message.offset,
    [deadLetterHeaders.consumerGroup]: input.consumerGroup,
    [deadLetterHeaders.errorCode]: input.errorCode,
    [deadLetterHeaders.errorMessage]: input.errorMessage.slice(0, 2_000),
    [deadLetterHeaders.attempts]: String(input.attempts),
    [deadLetterHeaders.failedAt]: new Date().toISOString(),
  });
  return {
    key: input.message.key,
    value: input.message.value,
    headers: headers as Record<string, Buffer | string>,
  };
}
