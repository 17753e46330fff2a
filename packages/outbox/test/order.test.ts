import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createOutboxHarness, type OutboxHarness, sequencesByKey } from './harness.ts';

let h: OutboxHarness;
beforeEach(async () => {
  h = await createOutboxHarness();
});
afterEach(() => h.close());

const publishedAt = async (key: string) =>
  (
    (await h.pool.query(
      'SELECT published_at FROM outbox_events WHERE message_key = ? ORDER BY id',
      [key],
    )) as { published_at: Date | null }[]
  ).map((row) => row.published_at);

describe('per-key order when transactions commit out of id order', () => {
  it('when a later row of a key commits first, then it waits for the earlier one, which goes out first', async () => {
    const [first, second] = h.requests(['user-k'], 2);
    const other = h.requests(['user-other'], 1);
    const earlier = await h.open([first as never]); // takes the lower id, commits last
    await h.write([second as never]);
    const relay = await h.relay();
    relay.start();
    await h.write(other);
    relay.wake();

    await expect
      .poll(async () => (await publishedAt('user-other'))[0], { timeout: 10_000 })
      .not.toBeNull();
    await sleep(1_000);
    const whileOpen = await publishedAt('user-k');
    await earlier.commit();
    relay.wake();
    const messages = await h.read(3);

    expect(whileOpen).toEqual([null]); // the committed later row; the earlier one is not visible yet
    expect(sequencesByKey(messages).get('user-k')).toEqual([1, 2]);
  }, 60_000);

  it('when the earlier transaction rolls back, then the later row goes out', async () => {
    const [first, second] = h.requests(['user-k'], 2);
    const earlier = await h.open([first as never]);
    await h.write([second as never]);
    const relay = await h.relay();
    relay.start();
    await sleep(1_000);
    const whileOpen = await publishedAt('user-k');
    await earlier.rollback();
    const messages = await h.read(1);

    expect(whileOpen).toEqual([null]);
    expect(sequencesByKey(messages).get('user-k')).toEqual([2]);
  }, 60_000);
});

describe('two relays and a row waiting for its retry time', () => {
  it('when the first row of a key fails and later succeeds, then neither relay lets the rest of the key overtake it', async () => {
    const keys = Array.from({ length: 10 }, (_, i) => `user-${i}`);
    const events = h.requests(keys, 20);
    const [head] = events; // user-0, sequence 1
    const broken = { ...head, payload: { ...head?.payload, sequence: 'first' } } as never;
    await h.write([broken, ...events.slice(1)]);
    const retry = { initialDelayMs: 1_500, maxDelayMs: 1_500 };
    const [a, b] = [
      await h.relay({ batchSize: 30, retry }),
      await h.relay({ batchSize: 30, retry }),
    ];
    const failed = Promise.race([once(a, 'failed'), once(b, 'failed')]);
    a.start();
    b.start();

    await failed;
    await expect
      .poll(async () => (await a.stats()).backlog, { timeout: 20_000, interval: 200 })
      .toBe(20);
    const heldBack = await publishedAt('user-0');
    await h.pool.query('UPDATE outbox_events SET payload = ? WHERE event_id = ?', [
      JSON.stringify(head?.payload),
      head?.payload.eventId,
    ]);
    const messages = await h.read(events.length, 1_000);

    expect(heldBack.every((at) => at === null)).toBe(true);
    expect(messages).toHaveLength(events.length);
    for (const sequences of sequencesByKey(messages).values())
      expect(sequences).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  }, 60_000);
});
