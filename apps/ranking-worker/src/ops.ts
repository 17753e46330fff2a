import { createHttpShell, type HttpApp } from '@commerce/service';
import type { Deps } from './deps.ts';

/** The worker's own HTTP: /healthz, /readyz (Redis, Kafka) and /metrics. */
export function buildOpsApp(deps: Deps): Promise<HttpApp> {
  return createHttpShell({
    service: 'ranking-worker',
    logger: deps.logger,
    metrics: deps.metrics,
    readiness: {
      redis: () => deps.redis.ping(),
      kafka: async () => {
        await deps.kafkaAdmin.connect();
        await deps.kafkaAdmin.describeCluster();
      },
    },
  });
}
