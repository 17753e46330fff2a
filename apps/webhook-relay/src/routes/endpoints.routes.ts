import { errorResponses, type HttpApp, requireOperatorKey } from '@commerce/service';
import { z } from 'zod';
import type { Deps } from '../deps.ts';
import {
  createEndpoint,
  deleteEndpoint,
  getEndpoint,
  rotateSecret,
  updateEndpoint,
} from '../domain/endpoints.ts';
import {
  endpoint,
  eventTypes,
  idParams,
  operatorHeaders,
  rateLimit,
  webhookUrl,
} from './schemas.ts';

const newEndpoint = z.strictObject({
  url: webhookUrl,
  eventTypes,
  description: z.string().trim().min(1).max(500).optional(),
  rateLimitPerSecond: rateLimit.optional(),
  ordered: z.boolean().optional(),
});

const endpointChanges = z
  .strictObject({
    url: webhookUrl.optional(),
    eventTypes: eventTypes.optional(),
    description: z.string().trim().min(1).max(500).nullable().optional(),
    rateLimitPerSecond: rateLimit.nullable().optional(),
    enabled: z.boolean().optional(),
  })
  .refine((changes) => Object.keys(changes).length > 0, 'send at least one field to change');

export function registerEndpointRoutes(app: HttpApp, deps: Deps): void {
  const onRequest = requireOperatorKey(deps.config.OPERATOR_API_KEY);
  const endpointDeps = { ...deps, secretGraceMs: deps.config.SECRET_ROTATION_GRACE_MS };

  app.post(
    '/webhooks/endpoints',
    {
      onRequest,
      schema: {
        summary: 'Subscribe an endpoint; the signing secret is shown this once',
        headers: operatorHeaders,
        body: newEndpoint,
        response: {
          201: endpoint.extend({ secret: z.string() }),
          ...errorResponses(400, 401, 422),
        },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createEndpoint(endpointDeps, request.body)),
  );

  app.get(
    '/webhooks/endpoints',
    {
      onRequest,
      schema: {
        summary: 'Every endpoint',
        headers: operatorHeaders,
        response: { 200: z.object({ items: z.array(endpoint) }), ...errorResponses(401) },
      },
    },
    async () => ({ items: await deps.endpoints.list() }),
  );

  app.get(
    '/webhooks/endpoints/:id',
    {
      onRequest,
      schema: {
        summary: 'One endpoint',
        headers: operatorHeaders,
        params: idParams,
        response: { 200: endpoint, ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => getEndpoint(deps, request.params.id),
  );

  app.patch(
    '/webhooks/endpoints/:id',
    {
      onRequest,
      schema: {
        summary:
          'Enable (delivers the paused backlog) or disable, change URL, event types, rate limit',
        headers: operatorHeaders,
        params: idParams,
        body: endpointChanges,
        response: { 200: endpoint, ...errorResponses(400, 401, 404, 422) },
      },
    },
    async (request) => {
      const updated = await updateEndpoint(endpointDeps, request.params.id, request.body);
      if (request.body.enabled) deps.scheduler.wake();
      return updated;
    },
  );

  app.delete(
    '/webhooks/endpoints/:id',
    {
      onRequest,
      schema: {
        summary: 'Remove an endpoint and its deliveries',
        headers: operatorHeaders,
        params: idParams,
        response: { 204: z.null(), ...errorResponses(400, 401, 404) },
      },
    },
    async (request, reply) => {
      await deleteEndpoint(deps, request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/webhooks/endpoints/:id/rotate-secret',
    {
      onRequest,
      schema: {
        summary: 'A new signing secret; the old one still signs during the grace period',
        headers: operatorHeaders,
        params: idParams,
        response: {
          200: z.object({ secret: z.string(), previousSecretValidUntil: z.date() }),
          ...errorResponses(400, 401, 404),
        },
      },
    },
    async (request) => rotateSecret(endpointDeps, request.params.id),
  );
}
