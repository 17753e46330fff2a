import type { EachBatchPayload } from 'kafkajs';
import type { ConsumerRunnerOptions } from './consumer-types.ts';
import { MessageDispatcher } from './message-dispatch.ts';
import { RunnerLifecycle } from './runner-lifecycle.ts';

export type {
  ConsumerRunnerEvents,
  ConsumerRunnerOptions,
  EventHandler,
  EventHandlers,
  HandlerContext,
  MessageRef,
} from './consumer-types.ts';

/**
 * Runs one consumer group: decode, dispatch by event type, commit offsets only after the
 * handler's effect is done. Poison messages (undecodable, unexpected type, permanent
 * failures) go to the dead-letter topic and the partition moves on; transient failures are
 * retried in place, then the partition is paused and retried later from the same offset;
 * unknown failures stop the runner with the message uncommitted and call `onFatal`.
 */
export class ConsumerRunner extends RunnerLifecycle {
  private readonly options: ConsumerRunnerOptions;
  private readonly dispatcher: MessageDispatcher;

  constructor(options: ConsumerRunnerOptions) {
    super(options);
    this.options = options;
    this.dispatcher = new MessageDispatcher({
      runner: options,
      retryPolicy: this.retryPolicy,
      classify: this.classify,
      deadLetters: this.deadLetters,
      pauser: this.pauser,
      events: this,
      metrics: this.metrics,
    });
  }

  protected async handleBatch(payload: EachBatchPayload): Promise<void> {
    const { batch, resolveOffset, heartbeat } = payload;
    const { topic, partition } = batch;
    this.metrics?.lag.set({ topic, partition: String(partition) }, Number(batch.offsetLag()));
    let uncommitted: string | undefined;
    let lastCommit = Date.now();
    try {
      for (const message of batch.messages) {
        if (this.stopped(payload)) break;
        const outcome = await this.dispatcher.handle(batch, message, heartbeat);
        if (!outcome.done) {
          if (outcome.kind === 'unknown') this.fail(outcome.error);
          else this.pauser.pause({ topic, partition, offset: message.offset }, outcome.error);
          break;
        }
        resolveOffset(message.offset);
        uncommitted = message.offset;
        if (Date.now() - lastCommit >= (this.options.commitIntervalMs ?? 1_000)) {
          await this.commit(payload, uncommitted);
          uncommitted = undefined;
          lastCommit = Date.now();
        }
        await heartbeat();
      }
    } finally {
      if (uncommitted !== undefined) await this.commit(payload, uncommitted);
    }
  }
}
