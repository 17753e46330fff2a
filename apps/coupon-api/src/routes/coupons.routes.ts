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

const validity = `validFrom must be before validUntil: a window that ends before it starts is 422 INVALID_VALIDITY_WINDOW (JSON Schema cannot compare two fields).`;
// An ISO 8601 instant with its offset, as z.iso.datetime() takes, in years 2000 to 8999: the
// database keeps years 1000 to 9999 in UTC (MariaDB DATETIME), an offset can move an instant
// across either end, and year 20 was a 500. One pattern, so generators can meet it.
const leapYear = String.raw`(?:[2-8]\d(?:[2468][048]|[13579][26]|0[48])|[2468][048]00|[3579][26]00)`;
const monthDay = String.raw`(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\d|3[01])|(?:0[469]|11)-(?:0[1-9]|[12]\d|30)|02-(?:0[1-9]|1\d|2[0-8]))`;
const time = String.raw`T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d{1,9})?(?:Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)`;
const instant = z
  .string()
  .regex(
    new RegExp(`^(?:${leapYear}-02-29|[2-8]\\d{3}-${monthDay})${time}$`),
    'an ISO 8601 date-time with an offset, in a year from 2000 to 8999',
  )
  .transform((s) => new Date(s));
const couponFields = {
  id: externalId.optional(),
  name: z.string().min(1).max(200),
  totalQuantity: z.number().int().min(1).max(10_000_000),
  validFrom: instant.describe('the first instant shoppers may ask for it; before validUntil'),
  validUntil: instant.describe('the first instant it is no longer given out; after validFrom'),
};
// One shape per discount type, so the document says what the limit of each is (a PERCENT
// discount is at most 100) and a generated valid body is valid.
const newCoupon = z
  .discriminatedUnion('discountType', [
    z.strictObject({
      ...couponFields,
      discountType: z.literal('AMOUNT'),
      discountValue: z.number().int().min(1).max(1_000_000_000).describe('minor units off'),
    }),
    z.strictObject({
      ...couponFields,
      discountType: z.literal('PERCENT'),
      discountValue: z.number().int().min(1).max(100).describe('percent off, at most 100'),
    }),
  ])
  .meta({ discriminator: { propertyName: 'discountType' }, description: validity });

export function registerCouponRoutes(app: HttpApp, deps: Deps, access: PublicAccess): void {
  app.post(
    '/coupons',
    {
      // Before validation: an anonymous caller learns nothing about the body's rules.
      onRequest: requireOperatorKey(deps.config.OPERATOR_API_KEY),
      schema: {
        summary: 'Open a coupon (operators; X-Api-Key)',
        description: validity,
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
