import type { EventEmitter } from 'node:events';
import { type DecodedEvent, type EventHeaders, fromKafkaHeaders } from '@commerce/events';
import type { KafkaMessage } from 'kafkajs';
import type { Logger } from 'pino';
import type {
  ConsumerRunnerEvents,
  ConsumerRunnerOptions,
  EventHandler,
  HandlerContext,
  MessageRef,
  RunnerBaseOptions,
} from './consumer-types.ts';
import type { DeadLetterer } from './dead-lettering.ts';
import { checkEnvelope } from './envelope.ts';
import { type FailureKind, PermanentError } from './errors.ts';
import type { ConsumerMetrics } from './metrics.ts';
import type { PartitionPauser } from './partition-pauser.ts';
import { type RetryPolicy, withRetries } from './retries.ts';

export type MessageOutcome =
  | { done: true }
  | { done: false; kind: 'transient' | 'unknown'; error: unknown };

export interface MessageDispatcherOptions {
  runner: Pick<RunnerBaseOptions, 'codec' | 'groupId' | 'logger'> &
    Pick<ConsumerRunnerOptions, 'handlers'>;
  retryPolicy: RetryPolicy;
  classify: (err: unknown) => FailureKind;
  deadLetters: DeadLetterer;
  pauser: PartitionPauser;
  events: EventEmitter<ConsumerRunnerEvents>;
  metrics: ConsumerMetrics | undefined;
}

/** A lazily built child logger of one message (pino serialises bindings at creation). */
export function messageLogger(
  logger: Logger,
  ref: MessageRef,
  headers: Partial<EventHeaders>,
): () => Logger {
  // Built on first use only: creating two children per message cost ~20% of the
  // consumer's throughput.
  let child: Logger | undefined;
  return () => {
    child ??= logger.child({
      ...ref,
      eventId: headers.eventId,
      correlationId: headers.correlationId,
    });
    return child;
  };
}

/**
 * Decodes one message and hands it to the handler of its event type, retrying transient
 * failures in place; a permanent failure (undecodable, unexpected type, rejected by the
 * handler) goes to the dead-letter topic and counts as done.
 */
export class MessageDispatcher {
  private readonly options: MessageDispatcherOptions;

  constructor(options: MessageDispatcherOptions) {
    this.options = options;
  }

  async handle(
    batch: { topic: string; partition: number },
    message: KafkaMessage,
    heartbeat: () => Promise<void>,
  ): Promise<MessageOutcome> {
    const { metrics, events } = this.options;
    const ref = { topic: batch.topic, partition: batch.partition, offset: message.offset };
    const headers = fromKafkaHeaders(message.headers);
    const log = messageLogger(this.options.runner.logger, ref, headers);
    const outcome = await withRetries(() => this.dispatch(ref, message, headers, log), {
      policy: this.options.retryPolicy,
      classify: this.options.classify,
      heartbeat,
      onRetry: (attempt, error) => {
        log().warn({ err: error, attempt }, 'transient failure, retrying');
        metrics?.messages.inc({ topic: ref.topic, outcome: 'retried' });
        events.emit('retried', { ...ref, attempt, error });
      },
    });
    if (outcome.done) {
      this.options.pauser.succeeded(ref);
      return { done: true };
    }
    if (outcome.kind === 'permanent') {
      await this.options.deadLetters.send({
        ...batch,
        message,
        error: outcome.error,
        attempts: outcome.attempts,
        log,
      });
      return { done: true };
    }
    return { done: false, kind: outcome.kind, error: outcome.error };
  }

  private async dispatch(
    ref: MessageRef,
    message: KafkaMessage,
    headers: Partial<EventHeaders>,
    log: () => Logger,
  ) {
    const { runner, metrics, events } = this.options;
    const event: DecodedEvent = await runner.codec.decode(message.value);
    const handler = runner.handlers[event.type] as EventHandler<typeof event.type> | undefined;
    if (!handler) {
      throw new PermanentError(
        'UNEXPECTED_EVENT_TYPE',
        `${runner.groupId} does not handle ${event.type}`,
      );
    }
    checkEnvelope(message, event, headers);
    let handlerLog: Logger | undefined;
    const context: HandlerContext = {
      ...ref,
      get log() {
        handlerLog ??= log().child({ eventType: event.type });
        return handlerLog;
      },
      key: message.key?.toString() ?? null,
      headers,
    };
    const endTimer = metrics?.handlerSeconds.startTimer({
      topic: ref.topic,
      event_type: event.type,
    });
    await handler(event.payload as never, context);
    endTimer?.();
    metrics?.messages.inc({ topic: ref.topic, outcome: 'processed' });
    events.emit('processed', { ...ref, eventType: event.type, eventId: event.payload.eventId });
  }
}
