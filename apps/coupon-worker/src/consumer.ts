import { consumerGroups } from '@commerce/events';
import { BatchConsumerRunner } from '@commerce/kafka';
import type { Deps } from './deps.ts';
import { couponRequestsHandler } from './handlers/coupon-requests.handler.ts';

/** The coupon-worker group on coupon-requests in batch mode, the seed's three partitions at once. */
export function createConsumer(deps: Deps, onFatal: (err: Error) => void): BatchConsumerRunner {
  const group = consumerGroups.couponWorker;
  const { config } = deps;
  return new BatchConsumerRunner({
    kafka: deps.kafka,
    codec: deps.codec,
    logger: deps.logger,
    metrics: deps.metrics,
    groupId: group.groupId,
    topics: group.topics,
    deadLetterTopic: group.deadLetterTopic,
    partitionsConsumedConcurrently: config.CONSUMER_CONCURRENCY,
    sessionTimeoutMs: config.CONSUMER_SESSION_TIMEOUT_MS,
    maxRecords: config.BATCH_MAX_RECORDS,
    maxWaitMs: config.BATCH_MAX_WAIT_MS,
    onFatal,
    eventTypes: ['CouponIssueRequested'],
    handleBatch: couponRequestsHandler({
      store: deps.store,
      locks: deps.locks,
      now: () => new Date(),
      afterCommit: () => deps.relay.wake(),
    }),
  });
}
