import { consumerGroups } from '@commerce/events';
import { BatchConsumerRunner, groupRunnerBase } from '@commerce/kafka';
import { consumerTuning } from '@commerce/service';
import type { Deps } from './deps.ts';
import { resultOfEvent } from './domain/coupon-result.ts';
import { notifyResults } from './domain/notify-results.ts';

/** The coupon-api group on coupon-results, in batch mode: each batch of decisions is pushed to its shoppers. */
export function createResultsConsumer(
  deps: Deps,
  onFatal: (err: Error) => void,
): BatchConsumerRunner {
  const notify = { broadcast: deps.hub, requests: deps.requests };
  return new BatchConsumerRunner({
    ...groupRunnerBase(deps, consumerGroups.couponApi),
    ...consumerTuning(deps.config),
    maxWaitMs: 100,
    onFatal,
    eventTypes: ['CouponIssueSucceeded', 'CouponIssueFailed'],
    handleBatch: (records) =>
      notifyResults(
        notify,
        records.flatMap((record) =>
          record.type === 'CouponIssueSucceeded' || record.type === 'CouponIssueFailed'
            ? [resultOfEvent(record.payload)]
            : [],
        ),
      ),
  });
}
