import { randomUUID } from 'node:crypto';
import { DomainError } from '@commerce/service';
import { type IdempotencyScope, type Idempotent, runOnce } from './idempotency.ts';
import { type Order, type OrderView, toOrderView } from './model.ts';
import type { OrderStore } from './order-store.ts';

export interface PlaceOrderDeps {
  store: OrderStore;
  currency: string;
  now: () => Date;
}

export interface PlaceOrderInput {
  userId: string;
  items: readonly { productId: string; quantity: number }[];
}

/**
 * A shopper places an order: each line gets the product's current price, the total is
 * their sum, and the order waits for its payment (PENDING). Stock is not reserved here;
 * the payment takes it, or fails with OUT_OF_STOCK. A product is on one line at most (its
 * quantity says how many).
 */
export async function placeOrder(
  deps: PlaceOrderDeps,
  input: PlaceOrderInput,
  idempotency?: IdempotencyScope,
): Promise<Idempotent<OrderView>> {
  const productIds = input.items.map((item) => item.productId);
  if (new Set(productIds).size !== productIds.length)
    throw new DomainError(
      'DUPLICATE_ORDER_LINE',
      'each product may appear once; put the quantity on its line',
    );
  return deps.store.transaction((tx) =>
    runOnce(tx, idempotency, async () => {
      const prices = await tx.productPrices(input.items.map((item) => item.productId));
      const unknown = input.items.filter((item) => !prices.has(item.productId));
      if (unknown.length > 0) {
        throw new DomainError('UNKNOWN_PRODUCT', 'the order names products that do not exist', {
          productIds: unknown.map((item) => item.productId),
        });
      }
      const items = input.items.map((item) => ({
        ...item,
        unitPrice: prices.get(item.productId) as number,
      }));
      const order: Order = {
        id: randomUUID(),
        userId: input.userId,
        status: 'PENDING',
        total: items.reduce((sum, item) => sum + item.quantity * item.unitPrice, 0),
        currency: deps.currency,
        items,
        createdAt: deps.now(),
        completedAt: null,
        paymentId: null,
      };
      await tx.insertOrder(order);
      return toOrderView(order);
    }),
  );
}
