import { brokersReachable } from '@commerce/kafka';
import { createHttpShell } from '@commerce/service';
import type { Deps } from './deps.ts';
import { statusByCode } from './domain/errors.ts';
import { couponRoutes } from './routes/coupons.routes.ts';
import { issueRoutes } from './routes/issue.routes.ts';
import { usersRoutes } from './routes/users.routes.ts';

/** The coupon API, built and not listening (tests inject into it; main.ts listens). */
export async function buildApp(deps: Deps) {
  const kafka = brokersReachable(deps.kafka);
  const app = await createHttpShell({
    service: 'coupon-api',
    logger: deps.logger,
    metrics: deps.metrics,
    statusByCode,
    // 503 while a dependency is down, so the gateway stops sending rushes here. Requests
    // already accepted are safe either way: they wait in the outbox.
    readiness: {
      database: () => deps.prisma.$queryRaw`SELECT 1`,
      redis: () => deps.redis.ping(),
      kafka: kafka.check,
    },
  });
  app.addHook('onClose', kafka.close);
  couponRoutes(app, { coupons: deps.coupons, operatorApiKey: deps.config.OPERATOR_API_KEY });
  issueRoutes(app, {
    coupons: deps.coupons,
    requests: deps.requests,
    admission: deps.admission,
    onCommitted: () => deps.relay.wake(),
  });
  usersRoutes(app, {
    requests: deps.requests,
    hub: deps.hub,
    heartbeatMs: deps.config.SSE_HEARTBEAT_MS,
  });
  return app;
}
