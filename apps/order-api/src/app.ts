import { createHttpShell, type HttpApp } from '@commerce/service';
import type { Deps } from './deps.ts';
import { orderErrorStatus } from './domain/errors.ts';
import { registerOrderRoutes } from './routes/orders.routes.ts';
import { registerProductRoutes } from './routes/products.routes.ts';
import { registerRankingRoutes } from './routes/rankings.routes.ts';

/** The order API, built but not listening (main.ts listens; tests inject). */
export async function buildApp(deps: Deps): Promise<HttpApp> {
  const app = await createHttpShell({
    service: 'order-api',
    logger: deps.logger,
    metrics: deps.metrics,
    trustedProxies: deps.config.TRUSTED_PROXIES,
    statusByCode: orderErrorStatus,
    readiness: {
      database: () => deps.prisma.$queryRaw`SELECT 1`,
      redis: () => deps.redis.ping(),
      kafka: deps.kafkaReachable,
    },
  });
  registerProductRoutes(app, deps);
  registerRankingRoutes(app, deps);
  registerOrderRoutes(app, deps);
  return app;
}
