import { errorResponses, type HttpApp, idempotencyHeaders } from '@commerce/service';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Deps } from '../deps.ts';
import type { Trace } from '../domain/model.ts';
import { requestCoupon } from '../domain/request-coupon.ts';
import { getRequest } from '../domain/requests.ts';
import { externalId, requestIdParam, requestView } from './schemas.ts';

const issueBody = z.object({ userId: externalId, couponId: externalId }).strict();
const issueHeaders = idempotencyHeaders.extend({ traceparent: z.string().max(55).optional() });

function traceOf(request: FastifyRequest): Trace {
  const traceparent = request.headers.traceparent;
  return { correlationId: request.id, ...(typeof traceparent === 'string' ? { traceparent } : {}) };
}

export function registerRequestRoutes(app: HttpApp, deps: Deps): void {
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
      schema: {
        summary:
          'Ask for a coupon; the result follows over SSE or GET /coupons/requests/{requestId}',
        headers: issueHeaders,
        body: issueBody,
        response: {
          202: z.object({ requestId: z.uuid(), sequence: z.number().int() }),
          ...errorResponses(400, 404, 409, 422),
        },
      },
    },
    async (request, reply) => {
      const idempotencyKey = request.headers['idempotency-key'];
      const accepted = await requestCoupon(issue, {
        ...request.body,
        trace: traceOf(request),
        ...(idempotencyKey ? { idempotencyKey } : {}),
      });
      return reply.status(202).send(accepted);
    },
  );

  app.get(
    '/coupons/requests/:requestId',
    {
      schema: {
        summary: 'Where a coupon request stands',
        params: requestIdParam,
        response: { 200: requestView, ...errorResponses(400, 404) },
      },
    },
    async (request) => getRequest({ requests: deps.requests }, request.params.requestId),
  );
}
