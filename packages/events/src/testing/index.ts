import { randomUUID } from 'node:crypto';
import type { EventPayloads, EventType } from '../contracts.generated.ts';

/** Valid events for tests: every field set, unique ids, overridable. */
const defaults: { [T in EventType]: () => EventPayloads[T] } = {
  CouponIssueRequested: () => ({
    ...base(),
    requestId: randomUUID(),
    userId: 'user-1',
    couponId: 'coupon-1',
    sequence: 1,
  }),
  CouponIssueSucceeded: () => ({
    ...base(),
    requestId: randomUUID(),
    userId: 'user-1',
    couponId: 'coupon-1',
    sequence: 1,
    userCouponId: randomUUID(),
  }),
  CouponIssueFailed: () => ({
    ...base(),
    requestId: randomUUID(),
    userId: 'user-1',
    couponId: 'coupon-1',
    sequence: 1001,
    reason: 'OUT_OF_STOCK',
  }),
  CouponIssued: () => ({
    ...base(),
    userCouponId: randomUUID(),
    couponId: 'coupon-1',
    userId: 'user-1',
    requestId: randomUUID(),
  }),
  OrderCompleted: () => ({
    ...base(),
    orderId: randomUUID(),
    userId: 'user-1',
    items: [
      { productId: 'product-1', quantity: 2, unitPrice: 15_000 },
      { productId: 'product-2', quantity: 1, unitPrice: 9_900 },
    ],
    totalAmount: 39_900,
    currency: 'KRW',
    paymentId: randomUUID(),
    completedAt: Date.now(),
  }),
  PaymentCompleted: () => ({
    ...base(),
    paymentId: randomUUID(),
    orderId: randomUUID(),
    userId: 'user-1',
    amount: 39_900,
    currency: 'KRW',
    method: 'CARD',
  }),
  ProductStockChanged: () => ({
    ...base(),
    productId: 'product-1',
    previousStock: 10,
    currentStock: 8,
    reason: 'ORDER_PAID',
    orderId: randomUUID(),
  }),
  WebhookDeliveryDeadLettered: () => ({
    ...base(),
    deliveryId: randomUUID(),
    endpointId: randomUUID(),
    endpointUrl: 'https://partner.example/webhooks',
    originalEventType: 'PaymentCompleted',
    originalEventId: randomUUID(),
    originalEvent: '{}',
    attempts: [
      { attemptNo: 1, startedAt: Date.now(), statusCode: 500, latencyMs: 12, error: null },
    ],
  }),
};

function base() {
  return { eventId: randomUUID(), occurredAt: Date.now() };
}

export function anEvent<T extends EventType>(
  type: T,
  overrides: Partial<EventPayloads[T]> = {},
): EventPayloads[T] {
  return { ...defaults[type](), ...overrides };
}
