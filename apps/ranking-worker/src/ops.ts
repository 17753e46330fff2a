import { consumerGroups, groupNames } from '@commerce/events';
import { brokersReachable, registerDeadLetterRoutes } from '@commerce/kafka';
import { createHttpShell, type HttpApp } from '@commerce/service';
import type { Deps } from './deps.ts';

/** The worker's own HTTP: /healthz, /readyz (Redis, Kafka), /metrics and its dead letters. */
export async function buildOpsApp(deps: Deps): Promise<HttpApp> {
  const kafka = brokersReachable(deps.kafka);
  const app = await createHttpShell({
    service: 'ranking-worker',
    logger: deps.logger,
    metrics: deps.metrics,
    readiness: { redis: () => deps.redis.ping(), kafka: kafka.check },
  });
  app.addHook('onClose', kafka.close);
  if (deps.config.OPERATOR_API_KEY)
    registerDeadLetterRoutes(app, {
      kafka: deps.kafka,
      codec: deps.codec,
      topic: groupNames(consumerGroups.rankingWorker, deps.config.KAFKA_NAME_PREFIX)
        .deadLetterTopic,
      operatorKey: deps.config.OPERATOR_API_KEY,
    });
  return app;
}
