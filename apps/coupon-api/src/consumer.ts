import { consumerGroups } from '@commerce/events';
import { ConsumerRunner } from '@commerce/kafka';
import type { Deps } from './deps.ts';
import { resultOfEvent } from './domain/coupon-result.ts';
import { notifyResult } from './domain/notify-result.ts';

/** The coupon-api group on coupon-results: each decision is pushed to its shopper. */
export function createResultsConsumer(deps: Deps, onFatal: (err: Error) => void): ConsumerRunner {
  const group = consumerGroups.couponApi;
  const notify = { broadcast: deps.hub, requests: deps.requests };
  return new ConsumerRunner({
    kafka: deps.kafka,
    codec: deps.codec,
    logger: deps.logger,
    metrics: deps.metrics,
    groupId: group.groupId,
    topics: group.topics,
    deadLetterTopic: group.deadLetterTopic,
    sessionTimeoutMs: deps.config.CONSUMER_SESSION_TIMEOUT_MS,
    onFatal,
    handlers: {
      CouponIssueSucceeded: (event) => notifyResult(notify, resultOfEvent(event)),
      CouponIssueFailed: (event) => notifyResult(notify, resultOfEvent(event)),
    },
  });
}
