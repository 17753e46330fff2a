/**
 * The codes the shell itself answers with, and their statuses. They keep these statuses
 * whatever a service maps, so every API answers an unauthenticated, throttled or
 * overloaded caller the same way.
 */
export const shellErrorStatus = {
  /** An operator route without the right X-Api-Key. */
  OPERATOR_KEY_REQUIRED: 401,
  /** A shopper route without `Authorization: Bearer <token>`. */
  TOKEN_REQUIRED: 401,
  /** A bearer token that does not verify: signature, algorithm, issuer, audience, expiry. */
  TOKEN_INVALID: 401,
  /** The path or body names a user other than the token's. */
  FORBIDDEN_USER: 403,
  /** Over the per-user or per-address request rate; Retry-After says when to come back. */
  RATE_LIMITED: 429,
  /** A known path with a method it does not serve; `Allow` lists the ones it does. */
  METHOD_NOT_ALLOWED: 405,
  /** Shed before any work was accepted (event loop or heap over its limit); Retry-After set. */
  OVERLOADED: 503,
  /** A dependency (database, Kafka) is away; nothing was written. Retry-After set. */
  DEPENDENCY_UNAVAILABLE: 503,
} as const satisfies Record<string, number>;

export type ShellErrorCode = keyof typeof shellErrorStatus;
