import {
  createHttpShell,
  type HttpApp,
  installPublicAccess,
  shellSecurity,
} from '@commerce/service';
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
    statusByCode: orderErrorStatus,
    ...shellSecurity(deps.config),
    readiness: {
      database: () => deps.prisma.$queryRaw`SELECT 1`,
      redis: () => deps.redis.ping(),
      kafka: deps.kafkaReachable,
    },
  });
  const access = await installPublicAccess(app, {
    service: 'order-api',
    config: deps.config,
    redis: deps.redis,
  });
  registerProductRoutes(app, deps, access);
  registerRankingRoutes(app, deps, access);
  registerOrderRoutes(app, deps, access);
  return app;
}
