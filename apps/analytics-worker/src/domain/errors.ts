/** The codes analytics' use cases throw (as DomainError) and their HTTP statuses. */
export const analyticsErrorStatus = {
  /** `from` is not before `to`, or the span is longer than the API serves at once. */
  INVALID_RANGE: 400,
  COUPON_NOT_FOUND: 404,
} as const satisfies Record<string, number>;
