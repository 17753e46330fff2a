import { z } from 'zod';

/** Ids clients choose (users, coupons): short, printable, no surprises in logs or keys. */
export const externalId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_.:-]+$/, 'use letters, digits and _ . : - only');

export const requestIdParam = z.object({ requestId: z.uuid() }).strict();
export const userIdParam = z.object({ userId: externalId }).strict();

export const couponView = z.object({
  id: z.string(),
  name: z.string(),
  discountType: z.enum(['AMOUNT', 'PERCENT']),
  discountValue: z.number().int(),
  totalQuantity: z.number().int(),
  issuedQuantity: z.number().int(),
  remainingQuantity: z.number().int(),
  validFrom: z.date(),
  validUntil: z.date(),
  createdAt: z.date(),
});

export const requestStatus = z.enum(['PENDING', 'COMPLETED', 'FAILED', 'NOTIFIED']);

export const requestView = z.object({
  requestId: z.string(),
  couponId: z.string(),
  userId: z.string(),
  sequence: z.number().int(),
  status: requestStatus,
  reason: z.string().nullable(),
  userCouponId: z.string().nullable(),
  createdAt: z.date(),
  completedAt: z.date().nullable(),
});

export const userCouponView = z.object({
  id: z.string(),
  couponId: z.string(),
  requestId: z.string(),
  issuedAt: z.date(),
});
