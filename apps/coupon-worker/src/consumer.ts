import { consumerGroups } from '@commerce/events';
import { BatchConsumerRunner, groupRunnerBase } from '@commerce/kafka';
import { consumerTuning } from '@commerce/service';
import type { Deps } from './deps.ts';
import { couponRequestsHandler } from './handlers/coupon-requests.handler.ts';

/** The coupon-worker group on coupon-requests in batch mode, the seed's three partitions at once. */
export function createConsumer(deps: Deps, onFatal: (err: Error) => void): BatchConsumerRunner {
  const { config } = deps;
  return new BatchConsumerRunner({
    ...groupRunnerBase(deps, consumerGroups.couponWorker),
    ...consumerTuning(config),
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
