import { randomUUID } from 'node:crypto';
import { type EventPayloads, topics } from '@commerce/events';
import type { IssueOutcome, IssueRequest, Trace } from './model.ts';

type ResultType = 'CouponIssueSucceeded' | 'CouponIssueFailed' | 'CouponIssued';

/** An event a decision publishes, as the outbox stores it (topic, key, contract payload). */
export type ResultEvent = {
  [T in ResultType]: Trace & { topic: string; key: string; type: T; payload: EventPayloads[T] };
}[ResultType];

/**
 * What the rest of the system learns from a decision: the result for the shopper (on
 * coupon-results, keyed by user) and, for an issue, CouponIssued for external systems
 * (keyed by the new coupon, the aggregate they track).
 */
export function resultEvents(
  request: IssueRequest,
  outcome: IssueOutcome,
  now: Date,
): ResultEvent[] {
  const common = {
    occurredAt: now.getTime(),
    requestId: request.requestId,
    userId: request.userId,
    couponId: request.couponId,
    sequence: request.sequence,
  };
  const trace: Trace = {
    correlationId: request.correlationId,
    ...(request.traceparent ? { traceparent: request.traceparent } : {}),
  };
  if (outcome.kind === 'rejected') {
    return [
      {
        topic: topics.couponResults.name,
        key: request.userId,
        type: 'CouponIssueFailed',
        payload: { eventId: randomUUID(), ...common, reason: outcome.reason },
        ...trace,
      },
    ];
  }
  return [
    {
      topic: topics.couponResults.name,
      key: request.userId,
      type: 'CouponIssueSucceeded',
      payload: { eventId: randomUUID(), ...common, userCouponId: outcome.userCouponId },
      ...trace,
    },
    {
      topic: topics.externalEvents.name,
      key: outcome.userCouponId,
      type: 'CouponIssued',
      payload: {
        eventId: randomUUID(),
        occurredAt: common.occurredAt,
        userCouponId: outcome.userCouponId,
        couponId: request.couponId,
        userId: request.userId,
        requestId: request.requestId,
      },
      ...trace,
    },
  ];
}
