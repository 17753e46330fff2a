/** What order-api's use cases read and write; money in minor units of the store currency. */

export interface Product {
  id: string;
  name: string;
  price: number;
  stock: number;
  createdAt: Date;
  updatedAt: Date;
}

export type OrderStatus = 'PENDING' | 'COMPLETED';
export type PaymentMethod = 'CARD' | 'BANK_TRANSFER' | 'WALLET';

export interface OrderLine {
  productId: string;
  quantity: number;
  unitPrice: number;
}

export interface Order {
  id: string;
  userId: string;
  status: OrderStatus;
  total: number;
  currency: string;
  items: OrderLine[];
  createdAt: Date;
  completedAt: Date | null;
  paymentId: string | null;
}

export interface Payment {
  id: string;
  orderId: string;
  amount: number;
  method: PaymentMethod;
  createdAt: Date;
}

/** Ties the events a request causes to that request (its X-Request-Id and trace). */
export interface Trace {
  correlationId: string;
  traceparent?: string;
}

/** An order as the API answers it (and as an idempotent replay stores it): JSON only. */
export interface OrderView {
  id: string;
  userId: string;
  status: OrderStatus;
  total: number;
  currency: string;
  items: OrderLine[];
  createdAt: string;
  completedAt: string | null;
  paymentId: string | null;
}

/** Lines in product id order, so every answer about one order lists them alike. */
export function toOrderView(order: Order): OrderView {
  return {
    ...order,
    items: order.items
      .map((item) => ({ ...item }))
      .sort((a, b) => (a.productId < b.productId ? -1 : 1)),
    createdAt: order.createdAt.toISOString(),
    completedAt: order.completedAt?.toISOString() ?? null,
  };
}

export interface ProductView {
  id: string;
  name: string;
  price: number;
  stock: number;
  createdAt: string;
  updatedAt: string;
}

export function toProductView(product: Product): ProductView {
  return {
    ...product,
    createdAt: product.createdAt.toISOString(),
    updatedAt: product.updatedAt.toISOString(),
  };
}
