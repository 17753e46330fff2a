import { paymentMethodValues } from '@commerce/events';
import { z } from 'zod';

/** Money in minor units; capped so totals stay exact in JSON numbers and Avro longs. */
export const minorUnits = z.number().int().min(0).max(10_000_000_000);

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
