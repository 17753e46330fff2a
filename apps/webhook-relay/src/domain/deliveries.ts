import { DomainError } from '@commerce/service';
import type { DeliveryFilter, DeliveryStore } from './delivery-reader.ts';
import type { EndpointStore } from './endpoint-store.ts';

export interface DeliveryDeps {
  deliveries: DeliveryStore;
  endpoints: EndpointStore;
  now: () => Date;
  /** Wakes the scheduler so a replay leaves at once. */
  wake: () => void;
}

export const listDeliveries = (deps: DeliveryDeps, filter: DeliveryFilter) =>
  deps.deliveries.list(filter);

export async function getDelivery(deps: DeliveryDeps, id: string) {
  const delivery = await deps.deliveries.get(id);
  if (!delivery) throw new DomainError('DELIVERY_NOT_FOUND', `no delivery ${id}`);
  return delivery;
}

/** Sends a finished delivery again, with the same webhook-id, so the receiver can deduplicate. */
export async function replayDelivery(deps: DeliveryDeps, id: string) {
  const delivery = await getDelivery(deps, id);
  if (!(await deps.deliveries.replay(id, deps.now())))
    throw new DomainError(
      'DELIVERY_NOT_REPLAYABLE',
      `delivery ${id} is ${delivery.status}; only COMPLETED or DEAD_LETTER deliveries can be replayed`,
    );
  deps.wake();
  return getDelivery(deps, id);
}

export async function replayDeadLetters(
  deps: DeliveryDeps,
  endpointId: string,
  range: { from: Date; to: Date },
) {
  if (!(await deps.endpoints.get(endpointId)))
    throw new DomainError('ENDPOINT_NOT_FOUND', `no endpoint ${endpointId}`);
  const replayed = await deps.deliveries.replayDeadLetters(
    endpointId,
    range.from,
    range.to,
    deps.now(),
  );
  deps.wake();
  return { replayed };
}

/** Success rate, latency percentiles and the last error of an endpoint over a window. */
export async function endpointStats(deps: DeliveryDeps, endpointId: string, windowMs: number) {
  if (!(await deps.endpoints.get(endpointId)))
    throw new DomainError('ENDPOINT_NOT_FOUND', `no endpoint ${endpointId}`);
  const since = new Date(deps.now().getTime() - windowMs);
  return { endpointId, since, ...(await deps.deliveries.stats(endpointId, since)) };
}
