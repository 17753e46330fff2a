import { consumerGroups } from '@commerce/events';
import { ConsumerRunner, groupRunnerBase } from '@commerce/kafka';
import { consumerTuning } from '@commerce/service';
import type { Deps } from './deps.ts';
import { orderCompletedHandler } from './handlers/order-completed.handler.ts';

/** The ranking-worker group on order-completed (names prefixed per deployment). */
export function createConsumer(deps: Deps, onFatal: (err: Error) => void): ConsumerRunner {
  const handle = orderCompletedHandler({
    ranking: deps.ranking,
    timeZone: deps.config.RANKING_TIME_ZONE,
    now: Date.now,
    outcomes: deps.outcomes,
  });
  return new ConsumerRunner({
    ...groupRunnerBase(deps, consumerGroups.rankingWorker, deps.config.KAFKA_NAME_PREFIX),
    ...consumerTuning(deps.config),
    onFatal,
    handlers: {
      OrderCompleted: async (event, context) => {
        await handle(event, context);
      },
    },
  });
}
