import {
  DomainError,
  errorResponses,
  forbidOtherUserInBody,
  type HttpApp,
  idempotencyHeaders,
  type PublicAccess,
  shopperOf,
  shopperSecurity,
} from '@commerce/service';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Deps } from '../deps.ts';
import { getOrder } from '../domain/get-order.ts';
import { fingerprintOf, type IdempotencyScope, type Idempotent } from '../domain/idempotency.ts';
import type { Trace } from '../domain/model.ts';
import { payOrder } from '../domain/pay-order.ts';
import { placeOrder } from '../domain/place-order.ts';
import { minorUnits, order, orderLine, paymentMethod } from './schemas.ts';

// The buyer is the token's user. A client may still send its own userId; naming anyone
// else is refused with 403 before validation (forbidOtherUserInBody).
const newOrder = z.strictObject({
  userId: z
    .string()
    .min(1)
    .max(64)
    .optional()
    .describe("ignored: the token's user orders; another id is 403"),
  items: z
    .array(orderLine.strict())
    .min(1)
    .max(50)
    .describe(
      'one line per product: a product on two lines is 422 DUPLICATE_ORDER_LINE; one that does not exist is 422 UNKNOWN_PRODUCT',
    ),
});

const payment = z.strictObject({ amount: minorUnits, method: paymentMethod });

const orderParams = z.object({ orderId: z.uuid() });

/**
 * The Idempotency-Key scope of a request: its route and a hash of what it asks and who
 * asks, so another shopper's key never replays this shopper's answer.
 */
function scopeOf(request: FastifyRequest, what: unknown): IdempotencyScope | undefined {
  const key = request.headers['idempotency-key'];
  if (typeof key !== 'string') return undefined;
  return {
    route: `${request.method} ${request.routeOptions.url}`,
    key,
    fingerprint: fingerprintOf({ user: shopperOf(request).userId, what }),
  };
}

function traceOf(request: FastifyRequest): Trace {
  return {
    correlationId: request.id,
    ...(request.traceparent ? { traceparent: request.traceparent } : {}),
  };
}

function send<T>(reply: FastifyReply, status: number, outcome: Idempotent<T>) {
  if (outcome.replayed) reply.header('idempotent-replayed', 'true');
  return reply.status(status).send(outcome.value);
}

export function registerOrderRoutes(app: HttpApp, deps: Deps, access: PublicAccess): void {
  app.post(
    '/orders',
    {
      onRequest: access.shopper,
      preValidation: forbidOtherUserInBody,
      schema: {
        summary:
          'Place an order for the token’s user (PENDING until paid); Idempotency-Key supported',
        security: shopperSecurity.security,
        headers: idempotencyHeaders,
        body: newOrder,
        response: { 201: order, ...shopperSecurity.errors, ...errorResponses(400, 422) },
      },
    },
    async (request, reply) =>
      send(
        reply,
        201,
        await placeOrder(
          { store: deps.store, currency: deps.config.STORE_CURRENCY, now: deps.now },
          { userId: shopperOf(request).userId, items: request.body.items },
          scopeOf(request, request.body),
        ),
      ),
  );

  app.get(
    '/orders/:orderId',
    {
      onRequest: access.shopper,
      schema: {
        summary: 'One of the token’s user’s orders, with its items and status',
        security: shopperSecurity.security,
        params: orderParams,
        response: { 200: order, ...shopperSecurity.errors, ...errorResponses(400, 404) },
      },
    },
    async (request) => {
      const found = await getOrder(deps, request.params.orderId);
      // Another shopper's order is answered as unknown: its id tells nothing.
      if (found.userId !== shopperOf(request).userId)
        throw new DomainError('ORDER_NOT_FOUND', `order ${found.id} does not exist`);
      return found;
    },
  );

  app.post(
    '/orders/:orderId/pay',
    {
      onRequest: access.shopper,
      schema: {
        summary:
          'Pay one of the token’s user’s orders: stock, payment and events in one transaction; Idempotency-Key supported',
        security: shopperSecurity.security,
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
          ...shopperSecurity.errors,
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
          {
            ...request.params,
            ...request.body,
            userId: shopperOf(request).userId,
            trace: traceOf(request),
          },
          scopeOf(request, { params: request.params, body: request.body }),
        ),
      ),
  );
}
