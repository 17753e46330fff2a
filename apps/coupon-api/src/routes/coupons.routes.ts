import { randomUUID } from 'node:crypto';
import {
  anyoneErrors,
  errorResponses,
  type HttpApp,
  OPERATOR_KEY_HEADER,
  operatorSecurity,
  type PublicAccess,
  requireOperatorKey,
} from '@commerce/service';
import { z } from 'zod';
import type { Deps } from '../deps.ts';
import { createCoupon, getCoupon } from '../domain/coupons.ts';
import { couponView, externalId } from './schemas.ts';

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

export function registerCouponRoutes(app: HttpApp, deps: Deps, access: PublicAccess): void {
  app.post(
    '/coupons',
    {
      // Before validation: an anonymous caller learns nothing about the body's rules.
      onRequest: requireOperatorKey(deps.config.OPERATOR_API_KEY),
      schema: {
        summary: 'Open a coupon (operators; X-Api-Key)',
        security: operatorSecurity.security,
        headers: z.looseObject({ [OPERATOR_KEY_HEADER]: z.string().optional() }),
        body: newCoupon,
        response: { 201: couponView, ...operatorSecurity.errors, ...errorResponses(400, 409, 422) },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await createCoupon(
            { coupons: deps.coupons },
            { ...request.body, id: request.body.id ?? randomUUID() },
          ),
        ),
  );

  app.get(
    '/coupons/:couponId',
    {
      onRequest: access.anyone,
      schema: {
        summary: 'A coupon and how many are left',
        params: z.object({ couponId: externalId }).strict(),
        response: { 200: couponView, ...anyoneErrors, ...errorResponses(400, 404) },
      },
    },
    async (request) => getCoupon({ coupons: deps.coupons }, request.params.couponId),
  );
}
