import { expect } from 'vitest';
import type { Relay } from './harness.ts';
import type { Receiver } from './receiver.ts';

export interface DeliveryView {
  id: string;
  status: string;
  attempts: number;
  messageId: string;
  lastError: string | null;
  attemptLog: { attemptNo: number; statusCode: number | null; startedAt: string }[];
}

/** Subscribes `receiver` to PaymentCompleted (and whatever `extra` sets); its id and secret. */
export async function subscribe(relay: Pick<Relay, 'api'>, receiver: Receiver, extra: object = {}) {
  const created = await relay.api('POST', '/webhooks/endpoints', {
    url: receiver.url,
    eventTypes: ['PaymentCompleted'],
    ...extra,
  });
  expect(created.status).toBe(201);
  return created.body as { id: string; secret: string };
}

export async function deliveriesOf(relay: Relay, endpointId: string): Promise<DeliveryView[]> {
  const response = await relay.api(
    'GET',
    `/webhooks/deliveries?endpointId=${endpointId}&limit=500`,
  );
  expect(response.status).toBe(200);
  return response.body.items;
}

export async function endpointOf(relay: Relay, endpointId: string) {
  return (await relay.api('GET', `/webhooks/endpoints/${endpointId}`)).body as {
    status: string;
    disabledReason: string | null;
  };
}
