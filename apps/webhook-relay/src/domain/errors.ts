/**
 * The codes webhook-relay's use cases throw (as DomainError) and their HTTP statuses: the
 * one place where domain outcomes become statuses.
 */
export const webhookErrorStatus = {
  ENDPOINT_NOT_FOUND: 404,
  DELIVERY_NOT_FOUND: 404,
  /** The URL is not http(s), or not a URL a relay may call. */
  INVALID_URL: 422,
  /** The URL resolves to a private, loopback, link-local or metadata address. */
  DESTINATION_FORBIDDEN: 422,
  /** The host name does not resolve. */
  DESTINATION_UNRESOLVABLE: 422,
  /** Only finished deliveries (COMPLETED, DEAD_LETTER) can be replayed. */
  DELIVERY_NOT_REPLAYABLE: 409,
} as const satisfies Record<string, number>;

export type WebhookErrorCode = keyof typeof webhookErrorStatus;
