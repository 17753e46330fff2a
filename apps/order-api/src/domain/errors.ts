/**
 * The codes order-api's use cases throw (as DomainError) and their HTTP statuses: the one
 * place where domain outcomes become statuses.
 */
export const orderErrorStatus = {
  PRODUCT_NOT_FOUND: 404,
  ORDER_NOT_FOUND: 404,
  /** An order names a product that does not exist: the request is well-formed but unusable. */
  UNKNOWN_PRODUCT: 422,
  /** Two lines of one order name the same product (JSON Schema cannot say "unique by productId"). */
  DUPLICATE_ORDER_LINE: 422,
  ORDER_ALREADY_PAID: 409,
  OUT_OF_STOCK: 409,
  AMOUNT_MISMATCH: 422,
  /** The same Idempotency-Key came with a different request. */
  IDEMPOTENCY_KEY_REUSED: 422,
} as const satisfies Record<string, number>;

export type OrderErrorCode = keyof typeof orderErrorStatus;
