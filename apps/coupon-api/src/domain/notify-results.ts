import type { CouponResult, ResultBroadcast } from './coupon-result.ts';
import type { RequestLog } from './request-log.ts';

export interface NotifyResultDeps {
  broadcast: ResultBroadcast;
  requests: Pick<RequestLog, 'markNotified'>;
}

/**
 * A decided request reaches its shopper: the result goes to every coupon-api instance
 * (the one holding the shopper's stream pushes it), then the request is NOTIFIED. A
 * redelivery broadcasts again; streams drop a request id they have sent.
 */
export async function notifyResult(deps: NotifyResultDeps, result: CouponResult): Promise<void> {
  await deps.broadcast.publish(result);
  await deps.requests.markNotified(result.requestId);
}
