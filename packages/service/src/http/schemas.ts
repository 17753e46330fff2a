import { z } from 'zod';

/** The body of every error answer (see errors.ts), as route schemas document it. */
export const errorBody = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
  requestId: z.string(),
});

/** Error answers a route documents in OpenAPI, by status: `response: { 200: x, ...errorResponses(400, 404) }`. */
export const errorResponses = (...statuses: number[]): Record<number, typeof errorBody> =>
  Object.fromEntries(statuses.map((status) => [status, errorBody]));

/**
 * The Idempotency-Key header of a request that may be retried safely: short printable
 * ASCII, so it is safe as a database key and in logs.
 */
export const idempotencyKeyHeader = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces');

/** Headers of a route that takes an optional Idempotency-Key (other headers pass). */
export const idempotencyHeaders = z.looseObject({
  'idempotency-key': idempotencyKeyHeader.optional(),
});
