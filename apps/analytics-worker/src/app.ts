import { consumerGroups, groupNames } from '@commerce/events';
import { registerDeadLetterRoutes } from '@commerce/kafka';
import { createHttpShell, type HttpApp, requireOperatorKey } from '@commerce/service';
import type { Deps } from './deps.ts';
import { analyticsErrorStatus } from './domain/errors.ts';
import { registerCouponRoutes } from './routes/coupons.routes.ts';
import { registerProductRoutes } from './routes/products.routes.ts';
import { registerSalesRoutes } from './routes/sales.routes.ts';

/** The worker's HTTP: /healthz, /readyz (database, Kafka), /metrics and the operators' read API; not listening. */
export async function buildApp(deps: Deps): Promise<HttpApp> {
  const app = await createHttpShell({
    service: 'analytics-worker',
    logger: deps.logger,
    metrics: deps.metrics,
    trustedProxies: deps.config.TRUSTED_PROXIES,
    overload: {
      maxEventLoopDelayMs: deps.config.OVERLOAD_MAX_EVENT_LOOP_DELAY_MS,
      maxHeapUsedBytes: deps.config.OVERLOAD_MAX_HEAP_USED_MB * 1024 * 1024,
      retryAfterSeconds: deps.config.OVERLOAD_RETRY_AFTER_SECONDS,
    },
    statusByCode: analyticsErrorStatus,
    readiness: {
      database: () => deps.pool.query('SELECT 1'),
      kafka: deps.kafkaReady,
    },
  });
  // The reports are for operators: one key check, before validation, on every read route.
  await app.register(async (reports: HttpApp) => {
    reports.addHook('onRequest', requireOperatorKey(deps.config.OPERATOR_API_KEY));
    registerSalesRoutes(reports, deps);
    registerProductRoutes(reports, deps);
    registerCouponRoutes(reports, deps);
  });
  registerDeadLetterRoutes(app, {
    kafka: deps.kafka,
    codec: deps.codec,
    topic: groupNames(consumerGroups.analyticsWorker, deps.config.KAFKA_NAME_PREFIX)
      .deadLetterTopic,
    operatorKey: deps.config.OPERATOR_API_KEY,
  });
  return app;
}
