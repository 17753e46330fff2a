import { createHttpShell } from '@commerce/service';
import type { Deps } from './deps.ts';

/** The worker's own HTTP: /healthz, /readyz (database, Redis, Kafka) and /metrics. */
export function buildOpsApp(deps: Deps) {
  const admin = deps.kafka.admin();
  return createHttpShell({
    service: 'coupon-worker',
    logger: deps.logger,
    metrics: deps.metrics,
    readiness: {
      database: () => deps.prisma.$queryRaw`SELECT 1`,
      redis: () => deps.redis.ping(),
      kafka: async () => {
        await admin.connect();
        await admin.describeCluster();
      },
    },
  });
}
