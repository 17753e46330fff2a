import { type DedicatedBroker, startDedicatedBroker } from '@commerce/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOutboxHarness, type OutboxHarness, sequencesByKey } from './harness.ts';

// A broker of its own: stopping it must not disturb the other test files.
let broker: DedicatedBroker;
let h: OutboxHarness;
beforeAll(async () => {
  broker = await startDedicatedBroker();
  h = await createOutboxHarness(broker.brokers);
}, 120_000);
afterAll(async () => {
  await h?.close();
  await broker?.destroy();
});

describe('outbox during a broker outage', () => {
  it('when the broker is down, then writes still commit and wait; when it returns, each row is published exactly once in key order', async () => {
    const relay = await h.relay({ retry: { initialDelayMs: 200, maxDelayMs: 1_000 } });
    relay.start();
    const warmUp = h.requests(['user-warm'], 1);
    await h.write(warmUp);
    await expect.poll(async () => (await relay.stats()).backlog, { timeout: 20_000 }).toBe(0);

    await broker.stop();
    const keys = ['user-a', 'user-b', 'user-c'];
    const during = h.requests(keys, 30);
    await h.write(during.slice(0, 45));
    await h.write(during.slice(45));
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const waiting = await relay.stats();

    await broker.start();
    await expect
      .poll(async () => (await relay.stats()).backlog, { timeout: 90_000, interval: 500 })
      .toBe(0);
    const messages = await h.read(1 + during.length, 2_000);

    expect(waiting.backlog).toBe(during.length);
    expect(waiting.oldestAgeMs).toBeGreaterThanOrEqual(1_500);
    expect(messages).toHaveLength(1 + during.length);
    expect(new Set(messages.map((m) => m.eventId)).size).toBe(messages.length);
    const byKey = sequencesByKey(messages.filter((m) => m.key !== 'user-warm'));
    expect([...byKey.keys()].sort()).toEqual(keys);
    for (const sequences of byKey.values())
      expect(sequences).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
  }, 180_000);
});
