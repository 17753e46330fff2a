import swagger from '@fastify/swagger';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import { installOverloadShedding, type OverloadSettings } from '../security/overload.ts';
import { shellErrorStatus } from './error-codes.ts';
import { installErrorHandling, type StatusByCode } from './errors.ts';
import { installOperationsRoutes, type ReadinessCheck } from './operations.ts';
import { safeRequestId, validTraceparent } from './request-headers.ts';
import { errorResponses, securitySchemes } from './schemas.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The caller's W3C traceparent when valid; the span events of this request descend from. */
    traceparent: string | undefined;
  }
}

export interface HttpShellOptions {
  service: string;
  version?: string;
  logger: Logger;
  statusByCode?: StatusByCode;
  readiness?: Record<string, ReadinessCheck>;
  metrics?: Registry;
  /** Largest request body accepted; larger ones are refused with 413. */
  bodyLimit?: number;
  /**
   * Addresses whose X-Forwarded-* headers are believed (TRUSTED_PROXIES: the gateway's);
   * none by default, so a client cannot choose its own request.ip.
   */
  trustedProxies?: string[];
  /** Shed requests with 503 past these limits; no shedding when absent. */
  overload?: OverloadSettings;
}

/**
 * The HTTP shell of every service, built but not listening: zod validation and
 * serialisation, an OpenAPI document made from the route schemas (/openapi.json), request
 * ids taken from X-Request-Id (echoed back), X-Forwarded-* honoured from the trusted gateway only,
 * structured errors, load shedding, health, readiness and metrics. Routes are added by the
 * service.
 */
export async function createHttpShell(options: HttpShellOptions) {
  const metrics = options.metrics ?? new Registry();
  const app = Fastify({
    loggerInstance: options.logger as FastifyBaseLogger,
    trustProxy: options.trustedProxies ?? [],
    bodyLimit: options.bodyLimit ?? 64 * 1024,
    // The gateway's or client's X-Request-Id becomes the request id only when it is safe.
    requestIdHeader: false,
    genReqId: (request) => safeRequestId(request.headers['x-request-id']) ?? crypto.randomUUID(),
    // One line per request at info would drown the logs during a coupon rush; errors and
    // 5xx are logged, and the request histogram counts the rest.
    logController: new LogController({ disableRequestLogging: true }),
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  // Codes the shell itself raises (auth, limits, shedding, operator routes) keep their status
  // whatever the service maps.
  const errors = installErrorHandling(app, {
    ...options.statusByCode,
    ...shellErrorStatus,
    // The dead-letter routes' (@commerce/kafka).
    DEAD_LETTER_NOT_FOUND: 404,
    DEAD_LETTER_PARTITION_NOT_FOUND: 404,
    INVALID_OFFSET_RANGE: 422,
    OFFSET_OUT_OF_RANGE: 422,
  });
  documentBodyRefusals(app);
  app.decorateRequest('shopper', undefined);
  if (options.overload) await installOverloadShedding(app, options.overload);

  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP requests by route and status.',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    registers: [metrics],
  });
  app.decorateRequest('traceparent', undefined);
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
    request.traceparent = validTraceparent(request.headers.traceparent);
  });
  app.addHook('onRequest', errors.answerUnroutedEarly);
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    duration.observe(
      { method: request.method, route, status: reply.statusCode },
      reply.elapsedTime / 1_000,
    );
    // A shed request (503) is counted by the histogram: a line each would add to the load.
    if (reply.statusCode >= 500 && reply.statusCode !== 503)
      request.log.warn({ route, status: reply.statusCode }, 'request answered with 5xx');
  });

  await app.register(swagger, {
    openapi: {
      info: { title: options.service, version: options.version ?? '0.0.0' },
      components: { securitySchemes },
    },
    transform: jsonSchemaTransform,
  });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  installOperationsRoutes(app, options.readiness ?? {}, metrics);
  return app;
}

/**
 * Every route that takes a body can be refused by Fastify before its handler: 413 over
 * bodyLimit, 415 for a content type it does not parse, 400 for a body that does not parse.
 * Each such route's document says so, whatever the service declared.
 */
function documentBodyRefusals(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    if (!route.schema?.body || route.schema.hide) return;
    route.schema.response = {
      ...errorResponses(400, 413, 415),
      ...(route.schema.response as Record<string, unknown> | undefined),
    };
  });
}

/** Prometheus registry with the process metrics (memory, event loop lag, GC) and the service label. */
export function createMetricsRegistry(service: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  return registry;
}

export type HttpApp = Awaited<ReturnType<typeof createHttpShell>>;
