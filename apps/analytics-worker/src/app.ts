import { createHttpShell, type HttpApp } from '@commerce/service';
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
    trustedProxies: deps.config.TRUSTED_PROXIES,
    statusByCode: analyticsErrorStatus,
    readiness: {
      database: () => deps.pool.query('SELECT 1'),
      kafka: deps.kafkaReady,
    },
  });
  registerSalesRoutes(app, deps);
  registerProductRoutes(app, deps);
  registerCouponRoutes(app, deps);
  return app;
}
