import { percentile } from '@commerce/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliveriesOf, endpointOf, subscribe } from './support/api.ts';
import { createHarness, type Harness, type Relay } from './support/harness.ts';
import { type Behaviour, type Receiver, startReceiver } from './support/receiver.ts';

let harness: Harness;
const receivers: Receiver[] = [];

beforeAll(async () => {
  harness = await createHarness();
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

/** Each event's time from creation to arrival at the receiver, in ms. */
function latencies(receiver: Receiver, events: { eventId: string; occurredAt: number }[]) {
  const sent = new Map(events.map((e) => [e.eventId, e.occurredAt]));
  return receiver.received
    .map((r) => ({ id: JSON.parse(r.body).id as string, at: r.at }))
    .filter((r) => sent.has(r.id))
    .map((r) => r.at - (sent.get(r.id) ?? 0));
}

describe('isolation between endpoints', () => {
  let relay: Relay;
  beforeAll(async () => {
    relay = await harness.relay({ ENDPOINT_CONCURRENCY: '4', REQUEST_TIMEOUT_MS: '30000' });
  });
  afterAll(async () => relay?.stop());

  it('when a receiver hangs, then a fast receiver of the same events keeps its normal latency', async () => {
    const fast = await receiverWith();
    await subscribe(relay, fast);
    const alone: { eventId: string; occurredAt: number }[] = [];
    for (let round = 0; round < 5; round += 1) {
      alone.push(...(await harness.publishPayments(4)));
      await harness.waitFor(
        'the fast deliveries',
        15_000,
        async () => fast.received.length === alone.length,
      );
    }
    const normal = latencies(fast, alone);

    const hanging = await receiverWith(() => 'hang');
    await subscribe(relay, hanging);
    const shared: { eventId: string; occurredAt: number }[] = [];
    for (let round = 0; round < 10; round += 1) {
      shared.push(...(await harness.publishPayments(4)));
      await harness.waitFor(
        'the fast deliveries',
        15_000,
        async () => latencies(fast, shared).length === shared.length,
      );
    }
    const withHang = latencies(fast, shared);
    // The hanging endpoint holds its own 4 slots and nothing else.
    expect(hanging.received.length).toBeLessThanOrEqual(4);
    const p95 = (xs: number[]) => percentile(xs, 95);
    expect(p95(withHang)).toBeLessThan(Math.max(2 * p95(normal), p95(normal) + 300));
    await hanging.close(); // its attempts fail now, so stopping the relay does not wait for their timeout
  });

  it("when an ordered endpoint's head fails, then its events wait in order and only that endpoint waits", async () => {
    const ordered = await receiverWith((n) => ({ status: n < 3 ? 500 : 200 }));
    const unordered = await receiverWith();
    const orderedEndpoint = await subscribe(relay, ordered, { ordered: true });
    await subscribe(relay, unordered);
    // One key: one partition, so the events are consumed in publish order.
    const events = await harness.publishPayments(5, { orderId: crypto.randomUUID() });
    const ids = events.map((e) => e.eventId);
    await harness.waitFor(
      'the unordered endpoint',
      15_000,
      async () => latencies(unordered, events).length === 5,
    );
    // The others went out while the ordered head was still failing.
    expect(ordered.received.length).toBeLessThan(4);
    await harness.waitFor(
      'the ordered endpoint',
      20_000,
      async () => ordered.received.length === 8,
    );
    const received = ordered.received.map((r) => JSON.parse(r.body).id);
    expect(received).toEqual([ids[0], ids[0], ids[0], ...ids]);
    await harness.waitFor('all COMPLETED', 5_000, async () =>
      (await deliveriesOf(relay, orderedEndpoint.id)).every((d) => d.status === 'COMPLETED'),
    );
  }, 60_000);
});

describe('circuit breaker', () => {
  it('when an endpoint fails for the whole period, then it is disabled, keeps its new deliveries, and re-enabling drains them', async () => {
    const relay = await harness.relay({
      CIRCUIT_BREAKER_AFTER_MS: '1000',
      RETRY_SCHEDULE: '200ms,200ms,200ms,200ms,200ms,200ms,200ms,200ms,200ms,200ms',
    });
    let healthy = false;
    const receiver = await receiverWith(() => ({ status: healthy ? 200 : 500 }));
    const endpoint = await subscribe(relay, receiver, { eventTypes: ['CouponIssued'] });
    // CouponIssued only: the other tests' endpoints do not see these events.
    const first = await harness.publishCoupons(1);
    await harness.waitFor(
      'the circuit open',
      15_000,
      async () => (await endpointOf(relay, endpoint.id)).status === 'DISABLED',
    );
    expect(await endpointOf(relay, endpoint.id)).toMatchObject({ disabledReason: 'CIRCUIT_OPEN' });
    const posts = receiver.received.length;
    expect(posts).toBeGreaterThanOrEqual(5);

    const later = await harness.publishCoupons(3);
    await harness.waitFor('the backlog kept', 15_000, async () => {
      const deliveries = await deliveriesOf(relay, endpoint.id);
      return deliveries.length === 4 && deliveries.every((d) => d.status === 'PAUSED');
    });
    expect(receiver.received.length).toBe(posts);

    healthy = true;
    const enabled = await relay.api('PATCH', `/webhooks/endpoints/${endpoint.id}`, {
      enabled: true,
    });
    expect(enabled.body).toMatchObject({ status: 'ENABLED', disabledReason: null });
    await harness.waitFor('the backlog delivered', 15_000, async () =>
      (await deliveriesOf(relay, endpoint.id)).every((d) => d.status === 'COMPLETED'),
    );
    const delivered = new Set(receiver.received.map((r) => JSON.parse(r.body).id));
    for (const event of [...first, ...later]) expect(delivered).toContain(event.eventId);
    await relay.stop();
  }, 90_000);
});
