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
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Deps } from '../deps.ts';
import type { Trace } from '../domain/model.ts';
import { requestCoupon } from '../domain/request-coupon.ts';
import { getRequest } from '../domain/requests.ts';
import { externalId, requestIdParam, requestView } from './schemas.ts';

// The user is the token's. A client may still send its own userId (older clients did);
// naming anyone else is refused with 403 before validation (forbidOtherUserInBody).
const issueBody = z
  .object({
    couponId: externalId,
    userId: externalId.optional().describe("ignored: the token's user asks; another id is 403"),
  })
  .strict();
// traceparent is not validated here: the shell keeps it when valid and ignores it otherwise.
const issueHeaders = idempotencyHeaders;

function traceOf(request: FastifyRequest): Trace {
  return {
    correlationId: request.id,
    ...(request.traceparent ? { traceparent: request.traceparent } : {}),
  };
}

export function registerRequestRoutes(app: HttpApp, deps: Deps, access: PublicAccess): void {
  const issue = {
    coupons: deps.cachedCoupons,
    requests: deps.requests,
    admission: deps.admission,
    now: () => new Date(),
    afterCommit: () => deps.relay.wake(),
  };

  app.post(
    '/coupons/issue',
    {
      onRequest: access.shopper,
      preValidation: forbidOtherUserInBody,
      schema: {
        summary:
          'Ask for a coupon for the token’s user; the result follows over SSE or GET /coupons/requests/{requestId}',
        security: shopperSecurity.security,
        headers: issueHeaders,
        body: issueBody,
        response: {
          202: z.object({ requestId: z.uuid(), sequence: z.number().int() }),
          ...shopperSecurity.errors,
          ...errorResponses(400, 404, 409, 422),
        },
      },
    },
    async (request, reply) => {
      const idempotencyKey = request.headers['idempotency-key'];
      const accepted = await requestCoupon(issue, {
        userId: shopperOf(request).userId,
        couponId: request.body.couponId,
        trace: traceOf(request),
        ...(idempotencyKey ? { idempotencyKey } : {}),
      });
      return reply.status(202).send(accepted);
    },
  );

  app.get(
    '/coupons/requests/:requestId',
    {
      onRequest: access.shopper,
      schema: {
        summary: 'Where one of the token’s user’s coupon requests stands',
        security: shopperSecurity.security,
        params: requestIdParam,
        response: { 200: requestView, ...shopperSecurity.errors, ...errorResponses(400, 404) },
      },
    },
    async (request) => {
      const found = await getRequest({ requests: deps.requests }, request.params.requestId);
      // Another shopper's request is answered as unknown: its id tells nothing.
      if (found.userId !== shopperOf(request).userId)
        throw new DomainError('REQUEST_NOT_FOUND', `request ${found.requestId} does not exist`);
      return found;
    },
  );
}
