import { errorResponses, type HttpApp, idempotencyHeaders } from '@commerce/service';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Deps } from '../deps.ts';
import { getOrder } from '../domain/get-order.ts';
import { fingerprintOf, type IdempotencyScope, type Idempotent } from '../domain/idempotency.ts';
import type { Trace } from '../domain/model.ts';
import { payOrder } from '../domain/pay-order.ts';
import { placeOrder } from '../domain/place-order.ts';
import { minorUnits, order, orderLine, paymentMethod } from './schemas.ts';

const newOrder = z.strictObject({
  userId: z.string().trim().min(1).max(64),
  items: z
    .array(orderLine.strict())
    .min(1)
    .max(50)
    .refine((items) => new Set(items.map((i) => i.productId)).size === items.length, {
      message: 'each product may appear once; put the quantity on its line',
    }),
});

const payment = z.strictObject({ amount: minorUnits, method: paymentMethod });

const orderParams = z.object({ orderId: z.uuid() });

/** The Idempotency-Key scope of a request: its route and a hash of what it asks. */
function scopeOf(request: FastifyRequest, what: unknown): IdempotencyScope | undefined {
  const key = request.headers['idempotency-key'];
  if (typeof key !== 'string') return undefined;
  return {
    route: `${request.method} ${request.routeOptions.url}`,
    key,
    fingerprint: fingerprintOf(what),
  };
}

function traceOf(request: FastifyRequest): Trace {
  const traceparent = request.headers.traceparent;
  return {
    correlationId: request.id,
    ...(typeof traceparent === 'string' ? { traceparent } : {}),
  };
}

function send<T>(reply: FastifyReply, status: number, outcome: Idempotent<T>) {
  if (outcome.replayed) reply.header('idempotent-replayed', 'true');
  return reply.status(status).send(outcome.value);
}

export function registerOrderRoutes(app: HttpApp, deps: Deps): void {
  app.post(
    '/orders',
    {
      schema: {
        summary: 'Place an order (PENDING until paid); Idempotency-Key supported',
        headers: idempotencyHeaders,
        body: newOrder,
        response: { 201: order, ...errorResponses(400, 422) },
      },
    },
    async (request, reply) =>
      send(
        reply,
        201,
        await placeOrder(
          { store: deps.store, currency: deps.config.STORE_CURRENCY, now: deps.now },
          request.body,
          scopeOf(request, request.body),
        ),
      ),
  );

  app.get(
    '/orders/:orderId',
    {
      schema: {
        summary: 'An order with its items and status',
        params: orderParams,
        response: { 200: order, ...errorResponses(400, 404) },
      },
    },
    async (request) => getOrder(deps, request.params.orderId),
  );

  app.post(
    '/orders/:orderId/pay',
    {
      schema: {
        summary:
          'Pay an order: stock, payment and events in one transaction; Idempotency-Key supported',
        headers: idempotencyHeaders,
        params: orderParams,
        body: payment,
        response: {
          200: z.object({
            paymentId: z.uuid(),
            orderId: z.uuid(),
            status: z.literal('COMPLETED'),
            completedAt: z.iso.datetime(),
          }),
          ...errorResponses(400, 404, 409, 422),
        },
      },
    },
    async (request, reply) =>
      send(
        reply,
        200,
        await payOrder(
          {
            store: deps.store,
            topics: deps.topics,
            now: deps.now,
            afterCommit: deps.afterPaymentCommit,
          },
          { ...request.params, ...request.body, trace: traceOf(request) },
          scopeOf(request, { params: request.params, body: request.body }),
        ),
      ),
  );
}
