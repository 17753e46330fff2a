import { consumerGroups } from '@commerce/events';
import { ConsumerRunner } from '@commerce/kafka';
import type { Deps } from './deps.ts';
import { couponIssueRequestedHandler } from './handlers/coupon-issue-requested.handler.ts';

/** The coupon-worker group on coupon-requests, with the seed's three partitions at once. */
export function createConsumer(deps: Deps, onFatal: (err: Error) => void): ConsumerRunner {
  const group = consumerGroups.couponWorker;
  return new ConsumerRunner({
    kafka: deps.kafka,
    codec: deps.codec,
    logger: deps.logger,
    metrics: deps.metrics,
    groupId: group.groupId,
    topics: group.topics,
    deadLetterTopic: group.deadLetterTopic,
    partitionsConsumedConcurrently: deps.config.CONSUMER_CONCURRENCY,
    sessionTimeoutMs: deps.config.CONSUMER_SESSION_TIMEOUT_MS,
    onFatal,
    handlers: {
      CouponIssueRequested: couponIssueRequestedHandler({
        store: deps.store,
        locks: deps.locks,
        now: () => new Date(),
        afterCommit: () => deps.relay.wake(),
      }),
    },
  });
}
