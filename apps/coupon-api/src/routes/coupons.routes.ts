import { randomUUID, timingSafeEqual } from 'node:crypto';
import { DomainError, type HttpApp } from '@commerce/service';
import { z } from 'zod';
import type { CouponsRepository } from '../data-access/coupons.repository.ts';
import { createCoupon } from '../domain/create-coupon.ts';
import { couponView, errorResponse, externalId } from './schemas.ts';

const newCoupon = z
  .object({
    id: externalId.optional(),
    name: z.string().min(1).max(200),
    discountType: z.enum(['AMOUNT', 'PERCENT']),
    discountValue: z.number().int().min(1).max(1_000_000_000),
    totalQuantity: z.number().int().min(1).max(10_000_000),
    validFrom: z.iso.datetime({ offset: true }).transform((s) => new Date(s)),
    validUntil: z.iso.datetime({ offset: true }).transform((s) => new Date(s)),
  })
  .strict()
  .refine((c) => c.discountType !== 'PERCENT' || c.discountValue <= 100, {
    path: ['discountValue'],
    message: 'a PERCENT discount is at most 100',
  });

function sameSecret(given: string | undefined, expected: string): boolean {
  const a = Buffer.from(given ?? '');
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function couponRoutes(
  app: HttpApp,
  deps: { coupons: CouponsRepository; operatorApiKey: string },
) {
  app.post(
    '/coupons',
    {
      schema: {
        summary: 'Open a coupon (operators; X-Api-Key)',
        headers: z.object({ 'x-api-key': z.string().optional() }),
        body: newCoupon,
        response: {
          201: couponView,
          400: errorResponse,
          401: errorResponse,
          409: errorResponse,
          422: errorResponse,
        },
      },
      preValidation: async (request) => {
        if (!sameSecret(request.headers['x-api-key'] as string | undefined, deps.operatorApiKey)) {
          throw new DomainError('UNAUTHORIZED', 'a valid X-Api-Key header is required');
        }
      },
    },
    async (request, reply) => {
      const coupon = await createCoupon(deps.coupons, {
        ...request.body,
        id: request.body.id ?? randomUUID(),
      });
      return reply.status(201).send(coupon);
    },
  );

  app.get(
    '/coupons/:couponId',
    {
      schema: {
        summary: 'A coupon and how many are left',
        params: z.object({ couponId: externalId }).strict(),
        response: { 200: couponView, 400: errorResponse, 404: errorResponse },
      },
    },
    async (request) => {
      const coupon = await deps.coupons.find(request.params.couponId);
      if (!coupon)
        throw new DomainError(
          'COUPON_NOT_FOUND',
          `coupon ${request.params.couponId} does not exist`,
        );
      return coupon;
    },
  );
}
