import { DomainError, type HttpApp } from '@commerce/service';
import { z } from 'zod';
import type { RequestsRepository } from '../data-access/requests.repository.ts';
import { type RequestCouponDeps, requestCoupon } from '../domain/request-coupon.ts';
import { errorResponse, externalId, requestIdParam, requestStatus } from './schemas.ts';

const issueBody = z.object({ userId: externalId, couponId: externalId }).strict();
const idempotencyHeaders = z.object({
  'idempotency-key': z
    .string()
    .min(1)
    .max(100)
    .regex(/^[A-Za-z0-9_.:-]+$/, 'use letters, digits and _ . : - only')
    .optional(),
  traceparent: z.string().max(55).optional(),
});

export function issueRoutes(
  app: HttpApp,
  deps: RequestCouponDeps & { requests: RequestsRepository },
) {
  app.post(
    '/coupons/issue',
    {
      schema: {
        summary:
          'Ask for a coupon; the result follows over SSE or GET /coupons/requests/{requestId}',
        headers: idempotencyHeaders,
        body: issueBody,
        response: {
          202: z.object({ requestId: z.uuid(), sequence: z.number().int() }),
          400: errorResponse,
          404: errorResponse,
          409: errorResponse,
          422: errorResponse,
        },
      },
    },
    async (request, reply) => {
      const idempotencyKey = request.headers['idempotency-key'];
      const traceparent = request.headers.traceparent;
      const accepted = await requestCoupon(deps, {
        ...request.body,
        correlationId: request.id,
        ...(idempotencyKey ? { idempotencyKey } : {}),
        ...(traceparent ? { traceparent } : {}),
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
        response: {
          200: z.object({
            requestId: z.string(),
            couponId: z.string(),
            userId: z.string(),
            sequence: z.number().int(),
            status: requestStatus,
            reason: z.string().nullable(),
            userCouponId: z.string().nullable(),
            createdAt: z.date(),
            completedAt: z.date().nullable(),
          }),
          400: errorResponse,
          404: errorResponse,
        },
      },
    },
    async (request) => {
      const found = await deps.requests.find(request.params.requestId);
      if (!found)
        throw new DomainError(
          'REQUEST_NOT_FOUND',
          `request ${request.params.requestId} does not exist`,
        );
      return found;
    },
  );
}
