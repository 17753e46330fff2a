import { createHttpShell, type HttpApp, operatorOnlyUnder } from '@commerce/service';
import type { Deps } from './deps.ts';
import { analyticsErrorStatus } from './domain/errors.ts';
import { registerCouponRoutes } from './routes/coupons.routes.ts';
import { registerProductRoutes } from './routes/products.routes.ts';
import { registerSalesRoutes } from './routes/sales.routes.ts';

/** The worker's HTTP: /healthz, /readyz (database, Kafka), /metrics and the read API; not listening. */
export async function buildApp(deps: Deps): Promise<HttpApp> {
  const app = await createHttpShell({
    service: 'analytics-worker',
    logger: deps.logger,
    metrics: deps.metrics,
    statusByCode: analyticsErrorStatus,
    trustedProxies: deps.config.TRUSTED_PROXIES,
    overload: {
      maxEventLoopDelayMs: deps.config.OVERLOAD_MAX_EVENT_LOOP_DELAY_MS,
      maxHeapUsedBytes: deps.config.OVERLOAD_MAX_HEAP_USED_MB * 1024 * 1024,
      retryAfterSeconds: deps.config.OVERLOAD_RETRY_AFTER_SECONDS,
    },
    readiness: {
      database: () => deps.pool.query('SELECT 1'),
      kafka: deps.kafkaReady,
    },
  });
  // The reports are for operators: the same key as the other services' operator routes.
  operatorOnlyUnder(app, '/analytics/', deps.config.OPERATOR_API_KEY);
  registerSalesRoutes(app, deps);
  registerProductRoutes(app, deps);
  registerCouponRoutes(app, deps);
  return app;
}
