import { consumerGroups } from '@commerce/events';
import { brokersReachable, registerDeadLetterRoutes } from '@commerce/kafka';
import {
  createHttpShell,
  type HttpApp,
  installPublicAccess,
  shellSecurity,
} from '@commerce/service';
import type { Deps } from './deps.ts';
import { statusByCode } from './domain/errors.ts';
import { registerCouponRoutes } from './routes/coupons.routes.ts';
import { registerRequestRoutes } from './routes/requests.routes.ts';
import { registerUserRoutes } from './routes/users.routes.ts';

/** The coupon API, built and not listening (tests inject into it; main.ts listens). */
export async function buildApp(deps: Deps): Promise<HttpApp> {
  const kafka = brokersReachable(deps.kafka);
  const app = await createHttpShell({
    service: 'coupon-api',
    logger: deps.logger,
    metrics: deps.metrics,
    statusByCode,
    ...shellSecurity(deps.config),
    // 503 while a dependency is down, so the gateway stops sending rushes here. Requests
    // already accepted are safe either way: they wait in the outbox.
    readiness: {
      database: () => deps.prisma.$queryRaw`SELECT 1`,
      redis: () => deps.redis.ping(),
      kafka: kafka.check,
    },
  });
  app.addHook('onClose', kafka.close);
  const access = await installPublicAccess(app, {
    service: 'coupon-api',
    config: deps.config,
    redis: deps.redis,
  });
  registerCouponRoutes(app, deps, access);
  registerRequestRoutes(app, deps, access);
  registerUserRoutes(app, deps, access);
  registerDeadLetterRoutes(app, {
    kafka: deps.kafka,
    codec: deps.codec,
    topic: consumerGroups.couponApi.deadLetterTopic,
    operatorKey: deps.config.OPERATOR_API_KEY,
  });
  return app;
}
