/** The API's error codes and their HTTP statuses: the one place they are mapped. */
export const statusByCode = {
  OPERATOR_KEY_REQUIRED: 401,
  COUPON_NOT_FOUND: 404,
  REQUEST_NOT_FOUND: 404,
  COUPON_NOT_STARTED: 409,
  COUPON_EXPIRED: 409,
  SOLD_OUT: 409,
  ALREADY_REQUESTED: 409,
  COUPON_EXISTS: 409,
  IDEMPOTENCY_KEY_REUSED: 422,
  INVALID_VALIDITY_WINDOW: 422,
  QUEUE_REBUILDING: 503,
} as const satisfies Record<string, number>;

export type ErrorCode = keyof typeof statusByCode;
