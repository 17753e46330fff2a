import { z } from 'zod';
import { subscribableEventTypes } from '../domain/model.ts';

export const eventTypes = z
  .array(z.enum(subscribableEventTypes))
  .min(1)
  .max(subscribableEventTypes.length * 4);
/** http(s) only; the destination check then refuses private and metadata addresses. */
export const webhookUrl = z
  .url({ protocol: /^https?$/, error: 'url must be an absolute http(s) URL' })
  .max(2_048);
export const rateLimit = z.number().int().min(1).max(10_000);

export const endpoint = z.object({
  id: z.uuid(),
  url: z.string(),
  description: z.string().nullable(),
  eventTypes: z.array(z.string()),
  status: z.enum(['ENABLED', 'DISABLED']),
  disabledReason: z.string().nullable(),
  rateLimitPerSecond: z.number().nullable(),
  ordered: z.boolean(),
  failingSince: z.date().nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
});

export const attempt = z.object({
  attemptNo: z.number(),
  dueAt: z.date(),
  startedAt: z.date(),
  statusCode: z.number().nullable(),
  latencyMs: z.number(),
  outcome: z.string(),
  error: z.string().nullable(),
  responseBody: z.string().nullable(),
});

export const deliveryStatus = z.enum([
  'PUBLISHED',
  'IN_PROGRESS',
  'COMPLETED',
  'FAILED',
  'DEAD_LETTER',
  'PAUSED',
]);

export const delivery = z.object({
  id: z.uuid(),
  endpointId: z.uuid(),
  messageId: z.string(),
  eventType: z.string(),
  status: deliveryStatus,
  attempts: z.number(),
  nextAttemptAt: z.date().nullable(),
  lastStatusCode: z.number().nullable(),
  lastError: z.string().nullable(),
  completedAt: z.date().nullable(),
  createdAt: z.date(),
  attemptLog: z.array(attempt),
});

export const idParams = z.strictObject({ id: z.uuid() });
export const operatorHeaders = z.looseObject({ 'x-api-key': z.string().optional() });
