import { consumerGroups, groupNames } from '@commerce/events';
import { BatchConsumerRunner, groupRunnerBase } from '@commerce/kafka';
import { consumerTuning } from '@commerce/service';
import type { Deps } from './deps.ts';
import {
  analyticsBatchHandler,
  analyticsEventTypes,
  validateRecord,
} from './handlers/analytics-batch.handler.ts';

/** The analytics-worker group on its three topics, in batch mode (names prefixed per deployment). */
export function createConsumer(deps: Deps, onFatal: (err: Error) => void): BatchConsumerRunner {
  const { config } = deps;
  const names = groupNames(consumerGroups.analyticsWorker, config.KAFKA_NAME_PREFIX);
  return new BatchConsumerRunner({
    ...groupRunnerBase(deps, consumerGroups.analyticsWorker, config.KAFKA_NAME_PREFIX),
    ...consumerTuning(config),
    pause: { initialDelayMs: config.CONSUMER_PAUSE_MS },
    maxRecords: config.BATCH_MAX_RECORDS,
    maxWaitMs: config.BATCH_MAX_WAIT_MS,
    minBytes: config.BATCH_MIN_BYTES,
    onFatal,
    eventTypes: analyticsEventTypes,
    validate: validateRecord,
    handleBatch: analyticsBatchHandler({
      sinks: deps.sinks,
      timeZone: config.ANALYTICS_TIME_ZONE,
      consumerGroup: names.groupId,
    }),
  });
}
