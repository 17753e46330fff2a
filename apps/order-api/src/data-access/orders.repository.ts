import { enqueueEvents } from '@commerce/outbox';
import type { OrderReader } from '../domain/get-order.ts';
import type { Order, OrderStatus } from '../domain/model.ts';
import type { OrderStore, OrderTx } from '../domain/order-store.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import { idempotencyKeys } from './idempotency.repository.ts';
import type { PrismaClient } from './order-db.ts';

// A payment queues for connections and row locks during a rush; give it room before failing.
const TRANSACTION_OPTIONS = { maxWait: 10_000, timeout: 15_000 };
const DEADLOCK_ATTEMPTS = 3;

const orderInclude = { items: true, payment: { select: { id: true } } } as const;
type OrderRow = Prisma.OrderGetPayload<{ include: typeof orderInclude }>;

/** A raw row as the MariaDB adapter returns it: integers as bigint, times as Date. */
interface LockedOrderRow {
  id: string;
  user_id: string;
  status: OrderStatus;
  total: bigint;
  currency: string;
  created_at: Date;
  product_id: string;
  quantity: bigint;
  unit_price: bigint;
}

function toOrder(row: OrderRow): Order {
  return {
    id: row.id,
    userId: row.userId,
    status: row.status,
    total: Number(row.total),
    currency: row.currency,
    items: row.items.map((item) => ({
      productId: item.productId,
      quantity: item.quantity,
      unitPrice: Number(item.unitPrice),
    })),
    createdAt: row.createdAt,
    completedAt: row.completedAt,
    paymentId: row.payment?.id ?? null,
  };
}

function orderTx(tx: Prisma.TransactionClient): OrderTx {
  return {
    ...idempotencyKeys(tx),
    async productPrices(ids) {
      const rows = await tx.product.findMany({
        where: { id: { in: [...ids] } },
        select: { id: true, price: true },
      });
      return new Map(rows.map((row) => [row.id, Number(row.price)]));
    },
    async insertOrder(order) {
      await tx.order.create({
        data: {
          id: order.id,
          userId: order.userId,
          status: order.status,
          total: BigInt(order.total),
          currency: order.currency,
          createdAt: order.createdAt,
          updatedAt: order.createdAt,
          items: {
            create: order.items.map((item) => ({ ...item, unitPrice: BigInt(item.unitPrice) })),
          },
        },
      });
    },
    async lockOrder(orderId) {
      // A locking read sees the latest committed state: a payment that committed while this
      // one waited for the lock shows here as COMPLETED. Lines come in the same statement
      // (one round trip less while the lock is held; they never change after placing).
      const rows = await tx.$queryRaw<LockedOrderRow[]>`
        SELECT o.id, o.user_id, o.status, o.total, o.currency, o.created_at,
               i.product_id, i.quantity, i.unit_price
          FROM orders o JOIN order_items i ON i.order_id = o.id
         WHERE o.id = ${orderId} FOR UPDATE`;
      const [row] = rows;
      if (!row) return null;
      return {
        id: row.id,
        userId: row.user_id,
        status: row.status,
        total: Number(row.total),
        currency: row.currency,
        items: rows.map((line) => ({
          productId: line.product_id,
          quantity: Number(line.quantity),
          unitPrice: Number(line.unit_price),
        })),
        createdAt: row.created_at,
        completedAt: null, // a locked order is only used while PENDING
        paymentId: null,
      };
    },
    async takeStock(productId, quantity) {
      const { count } = await tx.product.updateMany({
        where: { id: productId, stock: { gte: quantity } },
        data: { stock: { decrement: quantity } },
      });
      if (count === 0) return null;
      // The row is ours until commit, and a transaction reads its own write.
      const { stock } = await tx.product.findUniqueOrThrow({
        where: { id: productId },
        select: { stock: true },
      });
      return { previous: stock + quantity, current: stock };
    },
    async completeOrder(orderId, completedAt, completedEventId) {
      await tx.order.update({
        where: { id: orderId },
        data: { status: 'COMPLETED', completedAt, completedEventId, updatedAt: completedAt },
      });
    },
    async insertPayment(payment) {
      await tx.payment.create({ data: { ...payment, amount: BigInt(payment.amount) } });
    },
    enqueue: (events) => enqueueEvents(tx, events),
  };
}

function isDeadlock(err: unknown): boolean {
  const { code, message } = (err ?? {}) as { code?: unknown; message?: unknown };
  return code === 'P2034' || (typeof message === 'string' && /deadlock/i.test(message));
}

/** The order use cases' transactions, retried when MySQL picks them as a deadlock victim. */
export function createOrderStore(prisma: PrismaClient): OrderStore {
  return {
    async transaction(work) {
      for (let attempt = 1; ; attempt++) {
        try {
          return await prisma.$transaction((tx) => work(orderTx(tx)), TRANSACTION_OPTIONS);
        } catch (err) {
          if (attempt >= DEADLOCK_ATTEMPTS || !isDeadlock(err)) throw err;
        }
      }
    },
  };
}

export function createOrderReader(prisma: PrismaClient): OrderReader {
  return {
    async findOrder(orderId) {
      const row = await prisma.order.findUnique({ where: { id: orderId }, include: orderInclude });
      return row ? toOrder(row) : null;
    },
  };
}
