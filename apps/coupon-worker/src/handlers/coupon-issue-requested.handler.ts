import type { CouponIssueRequested } from '@commerce/events';
import { type HandlerContext, PermanentError } from '@commerce/kafka';
import { DomainError } from '@commerce/service';
import { type IssueCouponDeps, issueCoupon } from '../domain/issue-coupon.ts';
import type { IssueRequest } from '../domain/model.ts';

/** The request an event delivers, traced to the shopper's request (or its id when untraced). */
function requestOf(event: CouponIssueRequested, context: HandlerContext): IssueRequest {
  const { correlationId, traceparent } = context.headers;
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
 * A domain error is a verdict on the message itself: retrying cannot change it, so it goes
 * to the dead-letter topic. Everything else keeps its own class (transient: retried).
 */
function asDeliveryFailure(err: unknown): never {
  if (err instanceof DomainError) throw new PermanentError(err.code, err.message, { cause: err });
  throw err;
}

/** Handles one CouponIssueRequested: the request is decided once, however often delivered. */
export function couponIssueRequestedHandler(deps: IssueCouponDeps) {
  return async (event: CouponIssueRequested, context: HandlerContext): Promise<void> => {
    const outcome = await issueCoupon(deps, requestOf(event, context)).catch(asDeliveryFailure);
    if (outcome === null) context.log.info('redelivered request: decided already, nothing to do');
    else context.log.debug({ outcome }, 'coupon request decided');
  };
}
