import { consumerGroups } from '@commerce/events';
import { BatchConsumerRunner, groupRunnerBase } from '@commerce/kafka';
import { consumerTuning } from '@commerce/service';
import type { Deps } from './deps.ts';
import { externalEventsHandler, relayedEventTypes } from './handlers/external-events.handler.ts';

/** The webhook-relay group on external-events, in batch mode (names prefixed per deployment). */
export function createConsumer(deps: Deps, onFatal: (err: Error) => void): BatchConsumerRunner {
  const { config } = deps;
  return new BatchConsumerRunner({
    ...groupRunnerBase(deps, consumerGroups.webhookRelay, config.KAFKA_NAME_PREFIX),
    ...consumerTuning(config),
    maxRecords: 500,
    maxWaitMs: 100,
    onFatal,
    eventTypes: relayedEventTypes,
    handleBatch: externalEventsHandler({ store: deps.dispatch, wake: () => deps.scheduler.wake() }),
  });
}
