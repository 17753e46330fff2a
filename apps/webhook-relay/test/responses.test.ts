import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliveriesOf, endpointOf, subscribe } from './support/api.ts';
import { createHarness, type Harness, type Relay } from './support/harness.ts';
import { type Behaviour, type Receiver, startReceiver } from './support/receiver.ts';

let harness: Harness;
let relay: Relay;
const receivers: Receiver[] = [];

beforeAll(async () => {
  harness = await createHarness({ SECRET_ROTATION_GRACE_MS: '3000' });
  relay = await harness.relay();
});
afterAll(async () => {
  for (const receiver of receivers) await receiver.close();
  await harness?.close();
});

async function receiverWith(behaviour?: Behaviour) {
  const receiver = await startReceiver(behaviour);
  receivers.push(receiver);
  return receiver;
}

describe('receiver answers', () => {
  it('when the receiver answers 410 Gone, then the endpoint is disabled and its deliveries wait', async () => {
    const receiver = await receiverWith(() => ({ status: 410 }));
    const endpoint = await subscribe(relay, receiver);
    await harness.publishPayments(1);
    await harness.waitFor(
      'the endpoint disabled',
      15_000,
      async () => (await endpointOf(relay, endpoint.id)).status === 'DISABLED',
    );
    expect(await endpointOf(relay, endpoint.id)).toMatchObject({ disabledReason: 'GONE' });
    await harness.publishPayments(2);
    await harness.waitFor('3 deliveries kept', 15_000, async () => {
      const deliveries = await deliveriesOf(relay, endpoint.id);
      return deliveries.length === 3 && deliveries.every((d) => d.status === 'PAUSED');
    });
    expect(receiver.received).toHaveLength(1);
  });

  it('when the receiver answers 429 with Retry-After: 3, then the retry waits at least 3 s', async () => {
    const receiver = await receiverWith((n) =>
      n === 0 ? { status: 429, headers: { 'retry-after': '3' } } : { status: 200 },
    );
    const endpoint = await subscribe(relay, receiver);
    await harness.publishPayments(1);
    await harness.waitFor('the retry', 15_000, async () => receiver.received.length === 2);
    const [first, second] = receiver.received;
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(3_000);
    // Not much later either (the poll interval and a loaded machine's scheduling on top).
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeLessThan(6_000);
    expect(receiver.uniqueIds()).toHaveLength(1);
    await harness.waitFor(
      'COMPLETED',
      5_000,
      async () => (await deliveriesOf(relay, endpoint.id))[0]?.status === 'COMPLETED',
    );
  });

  it('when the secret is rotated, then both signatures verify during the grace period and only the new one after', async () => {
    const receiver = await receiverWith();
    const endpoint = await subscribe(relay, receiver);
    const rotated = await relay.api('POST', `/webhooks/endpoints/${endpoint.id}/rotate-secret`);
    const newSecret: string = rotated.body.secret;
    await harness.publishPayments(1);
    await harness.waitFor(
      'a delivery in the grace period',
      15_000,
      async () => receiver.received.length === 1,
    );
    const during = receiver.received[0];
    if (!during) throw new Error('nothing received');
    expect(during.signature.split(' ')).toHaveLength(2);
    expect(receiver.verifies(during, endpoint.secret)).toBe(true);
    expect(receiver.verifies(during, newSecret)).toBe(true);

    const graceEnds = new Date(rotated.body.previousSecretValidUntil).getTime();
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, graceEnds - Date.now() + 100)));
    await harness.publishPayments(1);
    await harness.waitFor(
      'a delivery after the grace period',
      15_000,
      async () => receiver.received.length === 2,
    );
    const after = receiver.received[1];
    if (!after) throw new Error('nothing received');
    expect(after.signature.split(' ')).toHaveLength(1);
    expect(receiver.verifies(after, newSecret)).toBe(true);
    expect(receiver.verifies(after, endpoint.secret)).toBe(false);
  });

  it('reports success rate, latency percentiles and the last error per endpoint', async () => {
    const receiver = await receiverWith((n) => ({
      status: n === 0 ? 500 : 200,
      body: 'x'.repeat(10_000),
    }));
    const endpoint = await subscribe(relay, receiver);
    await harness.publishPayments(1);
    await harness.waitFor(
      'COMPLETED',
      15_000,
      async () => (await deliveriesOf(relay, endpoint.id))[0]?.status === 'COMPLETED',
    );
    const stats = await relay.api('GET', `/webhooks/endpoints/${endpoint.id}/stats`);
    expect(stats.status).toBe(200);
    expect(stats.body).toMatchObject({
      attempts: 2,
      delivered: 1,
      successRate: 0.5,
      lastError: { statusCode: 500, error: 'HTTP 500' },
      deliveriesByStatus: { COMPLETED: 1 },
    });
    expect(stats.body.latencyP99Ms).toBeGreaterThanOrEqual(stats.body.latencyP50Ms);
    const [row] = await harness.query<{ n: number }>(
      'SELECT MAX(LENGTH(response_body)) AS n FROM attempts WHERE endpoint_id = ?',
      [endpoint.id],
    );
    expect(row?.n).toBe(4_096);
  });
});
