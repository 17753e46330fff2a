import type { EventCodec } from '@commerce/events';
import { consumerGroups } from '@commerce/events';
import { ConsumerRunner, type Kafka } from '@commerce/kafka';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { RequestsRepository } from './data-access/requests.repository.ts';
import type { CouponResult, ResultHub } from './data-access/result-hub.ts';

export interface ResultsConsumerDeps {
  kafka: Kafka;
  codec: EventCodec;
  logger: Logger;
  metrics: Registry;
  requests: RequestsRepository;
  hub: ResultHub;
  sessionTimeoutMs: number;
  onFatal: (err: Error) => void;
}

/**
 * coupon-results → shoppers: broadcast each result to every coupon-api instance (the one
 * holding the user's stream pushes it), then mark the request NOTIFIED. A redelivery
 * broadcasts again; clients drop a request id they have seen.
 */
export function createResultsConsumer(deps: ResultsConsumerDeps): ConsumerRunner {
  const group = consumerGroups.couponApi;
  const deliver = async (result: CouponResult) => {
    await deps.hub.publish(result);
    await deps.requests.markNotified(result.requestId);
  };
  return new ConsumerRunner({
    kafka: deps.kafka,
    codec: deps.codec,
    logger: deps.logger,
    metrics: deps.metrics,
    groupId: group.groupId,
    topics: ['coupon-results'],
    deadLetterTopic: group.deadLetterTopic,
    sessionTimeoutMs: deps.sessionTimeoutMs,
    onFatal: deps.onFatal,
    handlers: {
      CouponIssueSucceeded: (event) =>
        deliver({
          ...common(event),
          status: 'COMPLETED',
          reason: null,
          userCouponId: event.userCouponId,
        }),
      CouponIssueFailed: (event) =>
        deliver({ ...common(event), status: 'FAILED', reason: event.reason, userCouponId: null }),
    },
  });
}

function common(event: {
  requestId: string;
  couponId: string;
  userId: string;
  sequence: number;
  occurredAt: number;
}) {
  return {
    requestId: event.requestId,
    couponId: event.couponId,
    userId: event.userId,
    sequence: event.sequence,
    completedAt: new Date(event.occurredAt).toISOString(),
  };
}
