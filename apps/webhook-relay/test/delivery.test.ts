import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness, type Relay } from './support/harness.ts';
import { type Receiver, startReceiver } from './support/receiver.ts';

let harness: Harness;
let relay: Relay;
const receivers: Receiver[] = [];

beforeAll(async () => {
  harness = await createHarness();
  relay = await harness.relay();
});
afterAll(async () => {
  for (const receiver of receivers) await receiver.close();
  await harness?.close();
});

async function subscribe(receiver: Receiver, extra: object = {}) {
  const created = await relay.api('POST', '/webhooks/endpoints', {
    url: receiver.url,
    eventTypes: ['PaymentCompleted'],
    ...extra,
  });
  expect(created.status).toBe(201);
  return created.body as { id: string; secret: string };
}

async function receiverWith(behaviour: Parameters<typeof startReceiver>[0]) {
  const receiver = await startReceiver(behaviour);
  receivers.push(receiver);
  return receiver;
}

const deliveriesOf = async (endpointId: string) =>
  (await relay.api('GET', `/webhooks/deliveries?endpointId=${endpointId}`)).body.items as {
    id: string;
    status: string;
    attempts: number;
    attemptLog: { attemptNo: number; statusCode: number | null }[];
  }[];

describe('delivery', () => {
  it('when an event is consumed, then the receiver gets it once, signed, and a redelivery adds nothing', async () => {
    const receiver = await receiverWith(() => ({ status: 200 }));
    const endpoint = await subscribe(receiver);
    const [event] = await harness.publishPayments(1);
    await harness.waitFor('the delivery', 15_000, async () => receiver.received.length === 1);
    const [post] = receiver.received;
    if (!post || !event) throw new Error('nothing received');
    expect(receiver.verifies(post, endpoint.secret)).toBe(true);
    expect(receiver.verifies(post, 'whsec_bm90IHRoZSBzZWNyZXQgYXQgYWxsIDAxMjM0NTY3')).toBe(false);
    expect(JSON.parse(post.body)).toMatchObject({
      type: 'PaymentCompleted',
      id: event.eventId,
      data: { orderId: event.orderId, amount: event.amount },
    });
    await harness.waitFor('COMPLETED', 5_000, async () =>
      (await deliveriesOf(endpoint.id)).every((d) => d.status === 'COMPLETED'),
    );

    // The same event again (a redelivery after a crash): no second delivery, no second POST.
    const created = await relay.deps.dispatch.recordEvents(
      [{ id: event.eventId, type: 'PaymentCompleted', occurredAt: new Date(), body: post.body }],
      new Date(),
    );
    expect(created).toBe(0);
    expect(await deliveriesOf(endpoint.id)).toHaveLength(1);
    expect(receiver.received).toHaveLength(1);
  });

  it('when the receiver fails 3 times then accepts, then 4 attempts follow the schedule, one webhook-id', async () => {
    const receiver = await receiverWith((n) => ({ status: n < 3 ? 500 : 200 }));
    const endpoint = await subscribe(receiver);
    await harness.publishPayments(1);
    await harness.waitFor('4 attempts', 20_000, async () => receiver.received.length === 4);
    const gaps = receiver.received.slice(1).map((r, i) => r.at - (receiver.received[i]?.at ?? 0));
    // The seed's schedule 1 s, 2 s, 4 s; tolerance for the poll interval and a loaded machine.
    for (const [i, expected] of [1_000, 2_000, 4_000].entries()) {
      expect(gaps[i]).toBeGreaterThanOrEqual(expected - 50);
      expect(gaps[i]).toBeLessThan(expected + 600);
    }
    expect(receiver.uniqueIds()).toHaveLength(1);
    await harness.waitFor(
      'COMPLETED',
      5_000,
      async () => (await deliveriesOf(endpoint.id))[0]?.status === 'COMPLETED',
    );
    const [delivery] = await deliveriesOf(endpoint.id);
    expect(delivery?.attempts).toBe(4);
    expect(delivery?.attemptLog.map((a) => a.statusCode)).toEqual([500, 500, 500, 200]);
    expect(receiver.uniqueIds()).toEqual([delivery?.id]);
  });

  it('when the receiver always fails, then the delivery is dead-lettered with an envelope, and a replay delivers it with the same webhook-id', async () => {
    let healthy = false;
    const receiver = await receiverWith(() => ({ status: healthy ? 200 : 503 }));
    const endpoint = await subscribe(receiver);
    const fast = { RETRY_SCHEDULE: '100ms,100ms' };
    await relay.stop();
    relay = await harness.relay(fast);
    const [event] = await harness.publishPayments(1);
    await harness.waitFor(
      'DEAD_LETTER',
      15_000,
      async () => (await deliveriesOf(endpoint.id))[0]?.status === 'DEAD_LETTER',
    );
    expect(receiver.received).toHaveLength(3);

    const envelopes = await readEnvelopes(1);
    expect(envelopes[0]).toMatchObject({
      endpointId: endpoint.id,
      originalEventType: 'PaymentCompleted',
      originalEventId: event?.eventId,
    });
    expect(envelopes[0]?.attempts.map((a) => a.statusCode)).toEqual([503, 503, 503]);
    expect(JSON.parse(envelopes[0]?.originalEvent ?? '{}').id).toBe(event?.eventId);

    healthy = true;
    const [dead] = await deliveriesOf(endpoint.id);
    const replay = await relay.api('POST', `/webhooks/deliveries/${dead?.id}/replay`);
    expect(replay.status).toBe(202);
    await harness.waitFor('the replay', 10_000, async () => receiver.received.length === 4);
    expect(receiver.uniqueIds()).toEqual([dead?.id]);
    expect(receiver.verifies(receiver.received[3] as never, endpoint.secret)).toBe(true);
    await harness.waitFor(
      'COMPLETED',
      5_000,
      async () => (await deliveriesOf(endpoint.id))[0]?.status === 'COMPLETED',
    );
  });
});

async function readEnvelopes(count: number) {
  const consumer = harness.kafka.consumer({ groupId: `${harness.prefix}envelopes` });
  const envelopes: {
    endpointId: string;
    originalEventType: string;
    originalEventId: string;
    originalEvent: string;
    attempts: { statusCode: number | null }[];
  }[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic: harness.deadLetterTopic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const decoded = await harness.codec.decode(message.value);
      if (decoded.type === 'WebhookDeliveryDeadLettered') envelopes.push(decoded.payload);
    },
  });
  try {
    await harness.waitFor(
      'the dead-letter envelope',
      15_000,
      async () => envelopes.length >= count,
    );
  } finally {
    await consumer.disconnect();
  }
  return envelopes;
}
