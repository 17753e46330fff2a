import { randomUUID } from 'node:crypto';
import type { EventPayloads, EventType, OutgoingEvent } from '@commerce/events';
import type { Order, Payment, Trace } from './model.ts';
import type { StockChange } from './order-store.ts';

/** The topic names events go to (the catalog's, with the deployment's prefix). */
export interface OrderTopics {
  orderCompleted: string;
  externalEvents: string;
  productEvents: string;
}

export interface PaidOrder {
  /** Decided before the events, so the order row can name its OrderCompleted early. */
  orderCompletedEventId: string;
  order: Order;
  payment: Payment;
  stock: readonly (StockChange & { productId: string })[];
  trace: Trace;
}

/**
 * The events of a paid order: OrderCompleted for ranking and analytics (keyed by the buyer),
 * PaymentCompleted for external systems (keyed by the order) and one ProductStockChanged per
 * product (keyed by the product, so each product's stock history stays in order).
 */
export function paidOrderEvents(topics: OrderTopics, paid: PaidOrder): OutgoingEvent[] {
  const { order, payment, trace } = paid;
  const at = payment.createdAt.getTime();
  const event = <T extends EventType>(
    type: T,
    topic: string,
    key: string,
    payload: Omit<EventPayloads[T], 'eventId' | 'occurredAt'> & { eventId?: string },
  ): OutgoingEvent<T> =>
    ({
      topic,
      key,
      type,
      payload: { eventId: randomUUID(), occurredAt: at, ...payload } as EventPayloads[T],
      ...trace,
    }) as OutgoingEvent<T>;

  const orderCompleted = event('OrderCompleted', topics.orderCompleted, order.userId, {
    eventId: paid.orderCompletedEventId,
    orderId: order.id,
    userId: order.userId,
    items: order.items.map(({ productId, quantity, unitPrice }) => ({
      productId,
      quantity,
      unitPrice,
    })),
    totalAmount: order.total,
    currency: order.currency,
    paymentId: payment.id,
    completedAt: at,
  });
  return [
    orderCompleted,
    event('PaymentCompleted', topics.externalEvents, order.id, {
      paymentId: payment.id,
      orderId: order.id,
      userId: order.userId,
      amount: payment.amount,
      currency: order.currency,
      method: payment.method,
    }),
    ...paid.stock.map((change) =>
      event('ProductStockChanged', topics.productEvents, change.productId, {
        productId: change.productId,
        previousStock: change.previous,
        currentStock: change.current,
        reason: 'ORDER_PAID',
        orderId: order.id,
      }),
    ),
  ];
}
