import { randomUUID } from 'node:crypto';
import { DomainError } from '@commerce/service';
import { type IdempotencyScope, type Idempotent, runOnce } from './idempotency.ts';
import type { PaymentMethod, Trace } from './model.ts';
import { type OrderTopics, paidOrderEvents } from './order-events.ts';
import type { OrderStore, OrderTx, StockChange } from './order-store.ts';

export interface PayOrderDeps {
  store: OrderStore;
  topics: OrderTopics;
  now: () => Date;
  /** Runs after a payment committed (wakes the outbox relay). */
  afterCommit: () => void;
}

export interface PayOrderInput {
  orderId: string;
  /** The shopper paying: only the order's own user may. */
  userId: string;
  amount: number;
  method: PaymentMethod;
  trace: Trace;
}

export interface PaymentResult {
  paymentId: string;
  orderId: string;
  status: 'COMPLETED';
  completedAt: string;
}

/**
 * A shopper pays an order, all or nothing in one transaction: the order goes PENDING →
 * COMPLETED, each product gives up its units (never below zero), the payment is stored and
 * the events to publish are written to the outbox. After the commit the relay is woken;
 * should the process die first, the relay's sweep publishes them anyway.
 */
export async function payOrder(
  deps: PayOrderDeps,
  input: PayOrderInput,
  idempotency?: IdempotencyScope,
): Promise<Idempotent<PaymentResult>> {
  const outcome = await deps.store.transaction((tx) =>
    runOnce(tx, idempotency, () => completePayment(tx, deps, input)),
  );
  if (!outcome.replayed) deps.afterCommit();
  return outcome;
}

async function completePayment(
  tx: OrderTx,
  deps: PayOrderDeps,
  input: PayOrderInput,
): Promise<PaymentResult> {
  const order = await tx.lockOrder(input.orderId);
  // Another shopper's order is answered as unknown, and nothing is written.
  if (!order || order.userId !== input.userId)
    throw new DomainError('ORDER_NOT_FOUND', `order ${input.orderId} does not exist`);
  if (order.status !== 'PENDING')
    throw new DomainError('ORDER_ALREADY_PAID', `order ${order.id} is already paid`);
  if (input.amount !== order.total) {
    throw new DomainError('AMOUNT_MISMATCH', `the order's total is ${order.total}`, {
      expected: order.total,
      received: input.amount,
    });
  }
  const completedAt = deps.now();
  const payment = {
    id: randomUUID(),
    orderId: order.id,
    amount: input.amount,
    method: input.method,
    createdAt: completedAt,
  };
  const orderCompletedEventId = randomUUID();
  await tx.insertPayment(payment);
  await tx.completeOrder(order.id, completedAt, orderCompletedEventId);

  // Stock last: a product's row stays locked from its decrement to the commit, and during a
  // rush every payment of that product queues for it. Products go in id order so two
  // payments sharing products cannot deadlock.
  const stock: (StockChange & { productId: string })[] = [];
  for (const item of [...order.items].sort((a, b) => (a.productId < b.productId ? -1 : 1))) {
    const change = await tx.takeStock(item.productId, item.quantity);
    if (!change) {
      throw new DomainError('OUT_OF_STOCK', `not enough stock of product ${item.productId}`, {
        productId: item.productId,
        requested: item.quantity,
      });
    }
    stock.push({ productId: item.productId, ...change });
  }
  const events = paidOrderEvents(deps.topics, {
    orderCompletedEventId,
    order,
    payment,
    stock,
    trace: input.trace,
  });
  // After the stock rows are locked: a product's events get outbox ids in commit order.
  await tx.enqueue(events);
  return {
    paymentId: payment.id,
    orderId: order.id,
    status: 'COMPLETED',
    completedAt: completedAt.toISOString(),
  };
}
