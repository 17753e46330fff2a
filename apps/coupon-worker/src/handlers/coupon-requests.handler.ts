import type { CouponIssueRequested, EventHeaders } from '@commerce/events';
import { type BatchHandler, PermanentError } from '@commerce/kafka';
import { DomainError } from '@commerce/service';
import { type IssueCouponsDeps, issueCoupons } from '../domain/issue-coupons.ts';
import type { IssueRequest } from '../domain/model.ts';

/** The request an event delivers, traced to the shopper's request (or its id when untraced). */
export function requestOf(
  event: CouponIssueRequested,
  headers: Partial<EventHeaders> = {},
): IssueRequest {
  const { correlationId, traceparent } = headers;
  return {
    eventId: event.eventId,
    requestId: event.requestId,
    userId: event.userId,
    couponId: event.couponId,
    sequence: event.sequence,
    correlationId: correlationId ?? event.requestId,
    ...(traceparent ? { traceparent } : {}),
  };
}

/**
 * A domain error is a verdict on the messages themselves: retrying cannot change it, so the
 * runner retries the batch record by record and dead-letters the one that fails alone.
 * Everything else keeps its own class (transient: retried).
 */
function asDeliveryFailure(err: unknown): never {
  if (err instanceof DomainError) throw new PermanentError(err.code, err.message, { cause: err });
  throw err;
}

/** Handles a batch of CouponIssueRequested: each request is decided once, however often delivered. */
export function couponRequestsHandler(deps: IssueCouponsDeps): BatchHandler {
  return async (records, context) => {
    const requests = records.flatMap((record) =>
      record.type === 'CouponIssueRequested' ? [requestOf(record.payload, record.headers)] : [],
    );
    const { decided, redelivered } = await issueCoupons(deps, requests).catch(asDeliveryFailure);
    if (redelivered > 0) context.log.info({ redelivered }, 'redelivered requests: decided already');
    context.log.debug({ decided: decided.length }, 'coupon requests decided');
  };
}
