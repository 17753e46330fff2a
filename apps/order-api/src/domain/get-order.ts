import { DomainError } from '@commerce/service';
import { type Order, type OrderView, toOrderView } from './model.ts';

export interface OrderReader {
  findOrder(orderId: string): Promise<Order | null>;
}

export async function getOrder(deps: { orders: OrderReader }, orderId: string): Promise<OrderView> {
  const order = await deps.orders.findOrder(orderId);
  if (!order) throw new DomainError('ORDER_NOT_FOUND', `order ${orderId} does not exist`);
  return toOrderView(order);
}
