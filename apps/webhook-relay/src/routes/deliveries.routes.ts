import { errorResponses, type HttpApp, requireOperatorKey } from '@commerce/service';
import { z } from 'zod';
import type { Deps } from '../deps.ts';
import {
  endpointStats,
  getDelivery,
  listDeliveries,
  replayDeadLetters,
  replayDelivery,
} from '../domain/deliveries.ts';
import { delivery, deliveryStatus, idParams, operatorHeaders } from './schemas.ts';

const range = z
  .strictObject({ from: z.coerce.date(), to: z.coerce.date() })
  .refine((r) => r.from < r.to, { message: 'from must be before to', path: ['to'] });

const stats = z.object({
  endpointId: z.uuid(),
  since: z.date(),
  attempts: z.number(),
  delivered: z.number(),
  successRate: z.number().nullable(),
  latencyP50Ms: z.number().nullable(),
  latencyP99Ms: z.number().nullable(),
  lastError: z
    .object({ at: z.date(), statusCode: z.number().nullable(), error: z.string().nullable() })
    .nullable(),
  deliveriesByStatus: z.record(z.string(), z.number()),
});

export function registerDeliveryRoutes(app: HttpApp, deps: Deps): void {
  const onRequest = requireOperatorKey(deps.config.OPERATOR_API_KEY);
  const deliveryDeps = { ...deps, wake: () => deps.scheduler.wake() };

  app.get(
    '/webhooks/deliveries',
    {
      onRequest,
      schema: {
        summary: 'Deliveries with their attempts, newest first',
        headers: operatorHeaders,
        querystring: z.strictObject({
          status: deliveryStatus.optional(),
          endpointId: z.uuid().optional(),
          from: z.coerce.date().optional(),
          to: z.coerce.date().optional(),
          limit: z.coerce.number().int().min(1).max(500).default(100),
        }),
        response: { 200: z.object({ items: z.array(delivery) }), ...errorResponses(400, 401) },
      },
    },
    async (request) => ({ items: await listDeliveries(deliveryDeps, request.query) }),
  );

  app.get(
    '/webhooks/deliveries/:id',
    {
      onRequest,
      schema: {
        summary: 'One delivery with its attempts',
        headers: operatorHeaders,
        params: idParams,
        response: { 200: delivery, ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => getDelivery(deliveryDeps, request.params.id),
  );

  app.post(
    '/webhooks/deliveries/:id/replay',
    {
      onRequest,
      schema: {
        summary: 'Send a finished delivery again (same webhook-id)',
        headers: operatorHeaders,
        params: idParams,
        response: { 202: delivery, ...errorResponses(400, 401, 404, 409) },
      },
    },
    async (request, reply) =>
      reply.status(202).send(await replayDelivery(deliveryDeps, request.params.id)),
  );

  app.post(
    '/webhooks/endpoints/:id/replay-dead-letters',
    {
      onRequest,
      schema: {
        summary: "Replay an endpoint's dead letters created in [from, to)",
        headers: operatorHeaders,
        params: idParams,
        body: range,
        response: { 202: z.object({ replayed: z.number() }), ...errorResponses(400, 401, 404) },
      },
    },
    async (request, reply) =>
      reply
        .status(202)
        .send(await replayDeadLetters(deliveryDeps, request.params.id, request.body)),
  );

  app.get(
    '/webhooks/endpoints/:id/stats',
    {
      onRequest,
      schema: {
        summary: 'Success rate, p50/p99 latency and last error over the stats window',
        headers: operatorHeaders,
        params: idParams,
        response: { 200: stats, ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => endpointStats(deliveryDeps, request.params.id, deps.config.STATS_WINDOW_MS),
  );
}
