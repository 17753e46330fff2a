import { createHttpShell, type HttpApp } from '@commerce/service';
import type { Deps } from './deps.ts';
import { webhookErrorStatus } from './domain/errors.ts';
import { registerDeliveryRoutes } from './routes/deliveries.routes.ts';
import { registerEndpointRoutes } from './routes/endpoints.routes.ts';

/** The operator API with /healthz, /readyz (database, Kafka), /metrics; built, not listening. */
export async function buildApp(deps: Deps): Promise<HttpApp> {
  const app = await createHttpShell({
    service: 'webhook-relay',
    logger: deps.logger,
    metrics: deps.metrics,
    statusByCode: webhookErrorStatus,
    trustedProxies: deps.config.TRUSTED_PROXIES,
    readiness: {
      database: () => deps.pool.query('SELECT 1'),
      kafka: deps.kafkaReachable,
    },
  });
  registerEndpointRoutes(app, deps);
  registerDeliveryRoutes(app, deps);
  return app;
}
