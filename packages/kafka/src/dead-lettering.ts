import type { EventEmitter } from 'node:events';
import type { KafkaMessage, Producer } from 'kafkajs';
import type { Logger } from 'pino';
import type { ConsumerRunnerEvents } from './consumer-types.ts';
import { toDeadLetter } from './dead-letter.ts';
import { errorCode } from './errors.ts';
import type { ConsumerMetrics } from './metrics.ts';

export interface DeadLettererOptions {
  producer: Producer;
  consumerGroup: string;
  deadLetterTopic: string;
  events: EventEmitter<ConsumerRunnerEvents>;
  metrics: ConsumerMetrics | undefined;
}

/** Writes a poison message to the group's dead-letter topic, with its coordinates and the error. */
export class DeadLetterer {
  private readonly options: DeadLettererOptions;

  constructor(options: DeadLettererOptions) {
    this.options = options;
  }

  async send(input: {
    topic: string;
    partition: number;
    message: KafkaMessage;
    error: unknown;
    attempts: number;
    log: () => Logger;
  }): Promise<void> {
    const { topic, partition, message, error } = input;
    const { deadLetterTopic } = this.options;
    const code = errorCode(error);
    const deadLetter = toDeadLetter({
      topic,
      partition,
      message,
      consumerGroup: this.options.consumerGroup,
      errorCode: code,
      errorMessage: error instanceof Error ? error.message : String(error),
      attempts: input.attempts,
    });
    // A dead letter that cannot be written must not be skipped: the failure propagates, the
    // offset stays uncommitted and kafkajs retries the batch.
    await this.options.producer.send({ topic: deadLetterTopic, acks: -1, messages: [deadLetter] });
    input.log().warn({ err: error, errorCode: code, deadLetterTopic }, 'message dead-lettered');
    this.options.metrics?.messages.inc({ topic, outcome: 'dead_lettered' });
    this.options.events.emit('dead-lettered', {
      topic,
      partition,
      offset: message.offset,
      errorCode: code,
      error,
    });
  }
}
