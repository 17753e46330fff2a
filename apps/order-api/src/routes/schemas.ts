import { paymentMethodValues } from '@commerce/events';
import { z } from 'zod';

/** The body of every error answer (see @commerce/service). */
export const errorBody = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
  requestId: z.string(),
});

/** Error answers a route documents in OpenAPI, by status. */
export const errors = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((status) => [status, errorBody]));

/** Money in minor units; capped so totals stay exact in JSON numbers and Avro longs. */
export const minorUnits = z.number().int().min(0).max(10_000_000_000);

/** Headers of a request that may be retried safely. */
export const idempotencyHeaders = z.looseObject({
  'idempotency-key': z
    .string()
    .min(1)
    .max(100)
    .regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces')
    .optional(),
});

export const product = z.object({
  id: z.uuid(),
  name: z.string(),
  price: z.number().int(),
  stock: z.number().int(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});

export const orderLine = z.object({
  productId: z.uuid(),
  quantity: z.number().int().min(1).max(1_000),
});

export const order = z.object({
  id: z.uuid(),
  userId: z.string(),
  status: z.enum(['PENDING', 'COMPLETED']),
  total: z.number().int(),
  currency: z.string(),
  items: z.array(orderLine.extend({ unitPrice: z.number().int() })),
  createdAt: z.iso.datetime(),
  completedAt: z.iso.datetime().nullable(),
  paymentId: z.uuid().nullable(),
});

export const paymentMethod = z.enum(paymentMethodValues);
