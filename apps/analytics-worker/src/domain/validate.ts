import type { AnalyticsEvent } from './model.ts';

// The analytics columns' widths: a longer id would be cut, so it is refused instead.
const LIMITS = { eventId: 36, id: 64, userId: 100 };

/** Why an event cannot be counted (it goes to the dead-letter topic), or null. */
export function invalidReason({ type, payload }: AnalyticsEvent): string | null {
  if (payload.eventId.length > LIMITS.eventId) return 'eventId longer than 36 characters';
  if (!Number.isFinite(payload.occurredAt)) return 'occurredAt is not a time';
  const ids: string[] = [];
  let userId: string | undefined;
  if (type === 'OrderCompleted') {
    if (payload.items.length === 0) return 'an order without lines';
    if (payload.items.some((i) => i.quantity <= 0 || i.unitPrice < 0))
      return 'a line with a quantity below 1 or a negative price';
    if (payload.totalAmount < 0) return 'a negative order total';
    ids.push(payload.orderId, ...payload.items.map((i) => i.productId));
    userId = payload.userId;
  } else if (type === 'ProductStockChanged') {
    ids.push(payload.productId, payload.orderId ?? '');
  } else {
    ids.push(payload.requestId, payload.couponId);
    userId = payload.userId;
  }
  if (ids.some((id) => id.length > LIMITS.id)) return `an id longer than ${LIMITS.id} characters`;
  if (userId !== undefined && (userId.length === 0 || userId.length > LIMITS.userId))
    return `userId empty or longer than ${LIMITS.userId} characters`;
  return null;
}
