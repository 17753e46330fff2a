import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOutboxHarness, type OutboxHarness, sequencesByKey } from './harness.ts';

let h: OutboxHarness;
beforeAll(async () => {
  h = await createOutboxHarness();
});
afterAll(() => h.close());

const keys = ['user-a', 'user-b', 'user-c', 'user-d', 'user-e'];
const inOrder = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe('OutboxRelay', () => {
  it('when a transaction commits events, then each is published once, in key order; a rolled-back one never is', async () => {
    const committed = h.requests(keys, 40);
    const rolledBack = h.requests(['user-ghost'], 3);
    await h.write(rolledBack, 'rollback');
    await h.write(committed);
    const relay = await h.relay({ batchSize: 64 });
    relay.start();

    const messages = await h.read(committed.length);
    await expect.poll(() => relay.stats()).toEqual({ backlog: 0, oldestAgeMs: 0 });

    expect(messages).toHaveLength(committed.length);
    expect(new Set(messages.map((m) => m.eventId))).toEqual(
      new Set(committed.map((e) => e.payload.eventId)),
    );
    for (const sequences of sequencesByKey(messages).values())
      expect(sequences).toEqual(inOrder(40));
    expect(messages.some((m) => m.key === 'user-ghost')).toBe(false);
  });
});

describe('two relays on one table', () => {
  it('when both run at once, then every row is published exactly once in effect and each key stays in order', async () => {
    const local = await createOutboxHarness();
    try {
      const events = local.requests(
        Array.from({ length: 20 }, (_, i) => `user-${i}`),
        50,
      );
      await local.write(events);
      const [first, second] = [
        await local.relay({ batchSize: 100 }),
        await local.relay({ batchSize: 100 }),
      ];
      const published = { first: 0, second: 0 };
      first.on('published', ({ count }) => (published.first += count));
      second.on('published', ({ count }) => (published.second += count));
      first.start();
      second.start();

      const messages = await local.read(events.length, 1_000);

      expect(messages).toHaveLength(events.length);
      expect(new Set(messages.map((m) => m.eventId)).size).toBe(events.length);
      for (const sequences of sequencesByKey(messages).values())
        expect(sequences).toEqual(inOrder(50));
      // Together they publish each row once; how they split the work is theirs to decide
      // (one relay may take every key while the other finds them all leased).
      expect(published.first + published.second).toBe(events.length);
    } finally {
      await local.close();
    }
  });
});

describe('a row that cannot be encoded', () => {
  it('when a payload breaks its schema, then it waits with its error, holds back its key, and other keys go on', async () => {
    const local = await createOutboxHarness();
    try {
      const [good, badFirst, badSecond] = [
        local.requests(['user-ok'], 1),
        local.requests(['user-bad'], 1),
        local.requests(['user-bad'], 1),
      ];
      const broken = {
        ...badFirst[0],
        payload: { ...badFirst[0]?.payload, sequence: 'first' },
      } as never;
      await local.write([broken, ...badSecond, ...good]);
      const relay = await local.relay();
      const failed = once(relay, 'failed');
      relay.start();

      const [messages] = await Promise.all([local.read(1), failed]);
      const [row] = await local.pool.query(
        'SELECT attempts, last_error FROM outbox_events ORDER BY id LIMIT 1',
      );

      expect(messages.map((m) => m.key)).toEqual(['user-ok']);
      expect(row.attempts).toBeGreaterThanOrEqual(1);
      expect(row.last_error).toMatch(/sequence/);
      expect((await relay.stats()).backlog).toBe(2);
    } finally {
      await local.close();
    }
  });
});
