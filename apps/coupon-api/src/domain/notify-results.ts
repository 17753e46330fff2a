import type { CouponResult, ResultBroadcast } from './coupon-result.ts';
import type { RequestLog } from './request-log.ts';

export interface NotifyResultsDeps {
  broadcast: ResultBroadcast;
  requests: Pick<RequestLog, 'markNotified'>;
}

/**
 * Decided requests reach their shoppers, a batch at a time: the results go to every
 * coupon-api instance at once (the one holding a shopper's stream pushes theirs), then the
 * requests are NOTIFIED together. A redelivery broadcasts again; streams drop a request id
 * they have sent.
 */
export async function notifyResults(
  deps: NotifyResultsDeps,
  results: readonly CouponResult[],
): Promise<void> {
  if (results.length === 0) return;
  await deps.broadcast.publish(results);
  await deps.requests.markNotified(results.map((result) => result.requestId));
}
