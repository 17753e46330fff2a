import { consumerGroups } from '@commerce/events';
import { brokersReachable, registerDeadLetterRoutes } from '@commerce/kafka';
import { createHttpShell, type HttpApp } from '@commerce/service';
import type { Deps } from './deps.ts';

/** The worker's own HTTP: /healthz, /readyz (database, Redis, Kafka), /metrics and its dead letters. */
export async function buildOpsApp(deps: Deps): Promise<HttpApp> {
  const kafka = brokersReachable(deps.kafka);
  const app = await createHttpShell({
    service: 'coupon-worker',
    logger: deps.logger,
    metrics: deps.metrics,
    readiness: {
      database: () => deps.prisma.$queryRaw`SELECT 1`,
      redis: () => deps.redis.ping(),
      kafka: kafka.check,
    },
  });
  app.addHook('onClose', kafka.close);
  if (deps.config.OPERATOR_API_KEY)
    registerDeadLetterRoutes(app, {
      kafka: deps.kafka,
      codec: deps.codec,
      topic: consumerGroups.couponWorker.deadLetterTopic,
      operatorKey: deps.config.OPERATOR_API_KEY,
    });
  return app;
}
