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

/** The OpenAPI security schemes every API document declares (see createHttpShell). */
export const securitySchemes = {
  shopperToken: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: "A shopper's token from the identity provider; its `sub` is the user id.",
  },
  operatorKey: { type: 'apiKey', in: 'header', name: 'X-Api-Key' },
} as const;

/**
 * Schema parts of a shopper route: the bearer token, and the answers its guards give
 * (401 no or bad token, 403 another user, 429 over the rate, 503 overloaded).
 */
export const shopperSecurity = {
  security: [{ shopperToken: [] }],
  errors: errorResponses(401, 403, 429, 503),
};

/** Schema parts of an operator route: the X-Api-Key header (401 without it; 503 overloaded). */
export const operatorSecurity = {
  security: [{ operatorKey: [] }],
  errors: errorResponses(401, 503),
};

/** The answers of a route anyone may call: 429 over the address's rate, 503 overloaded. */
export const anyoneErrors = errorResponses(429, 503);
