import { consumerGroups } from '@commerce/events';
import { BatchConsumerRunner } from '@commerce/kafka';
import type { Deps } from './deps.ts';
import {
  analyticsBatchHandler,
  analyticsEventTypes,
  validateRecord,
} from './handlers/analytics-batch.handler.ts';

/** The analytics-worker group on its three topics, in batch mode (names prefixed per deployment). */
export function createConsumer(deps: Deps, onFatal: (err: Error) => void): BatchConsumerRunner {
  const group = consumerGroups.analyticsWorker;
  const { config } = deps;
  const prefix = config.KAFKA_NAME_PREFIX;
  const groupId = prefix + group.groupId;
  return new BatchConsumerRunner({
    kafka: deps.kafka,
    codec: deps.codec,
    logger: deps.logger,
    metrics: deps.metrics,
    groupId,
    topics: group.topics.map((topic) => prefix + topic),
    deadLetterTopic: prefix + group.deadLetterTopic,
    partitionsConsumedConcurrently: config.CONSUMER_CONCURRENCY,
    sessionTimeoutMs: config.CONSUMER_SESSION_TIMEOUT_MS,
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
      consumerGroup: groupId,
    }),
  });
}
