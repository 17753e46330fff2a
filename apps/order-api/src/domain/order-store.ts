import type { OutgoingEvent } from '@commerce/events';
import type { IdempotencyTx } from './idempotency.ts';
import type { Order, Payment } from './model.ts';

/** Units taken from a product's stock by one payment. */
export interface StockChange {
  previous: number;
  current: number;
}

/** What the order use cases may do inside one database transaction. */
export interface OrderTx extends IdempotencyTx {
  /** Prices of the products that exist among `ids`. */
  productPrices(ids: readonly string[]): Promise<Map<string, number>>;
  insertOrder(order: Order): Promise<void>;
  /** The order, locked until the transaction ends; null when it does not exist. */
  lockOrder(orderId: string): Promise<Order | null>;
  /** Takes `quantity` units if that many are left (never below zero); null when not. */
  takeStock(productId: string, quantity: number): Promise<StockChange | null>;
  completeOrder(orderId: string, completedAt: Date, completedEventId: string): Promise<void>;
  insertPayment(payment: Payment): Promise<void>;
  /** Records events in the outbox: they reach Kafka if and only if the transaction commits. */
  enqueue(events: readonly OutgoingEvent[]): Promise<void>;
}

export interface OrderStore {
  /** Runs `work` in one transaction: committed when it returns, rolled back when it throws. */
  transaction<T>(work: (tx: OrderTx) => Promise<T>): Promise<T>;
}
