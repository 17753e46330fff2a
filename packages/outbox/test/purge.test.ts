import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOutboxHarness, type OutboxHarness } from './harness.ts';

let h: OutboxHarness;
beforeAll(async () => {
  h = await createOutboxHarness();
});
afterAll(() => h.close());

const rows = async () =>
  Number((await h.pool.query('SELECT COUNT(*) AS n FROM outbox_events'))[0].n);

describe('purging published rows', () => {
  it('when events keep coming, then the table stays bounded by the retention, and rows not yet published are kept', async () => {
    const [broken] = h.requests(['user-stuck'], 1);
    await h.write([{ ...broken, payload: { ...broken?.payload, sequence: 'first' } } as never]);
    const relay = await h.relay({
      retry: { initialDelayMs: 60_000 },
      purge: { retentionMs: 500, intervalMs: 200, batchSize: 50 },
    });
    relay.start();

    const keys = Array.from({ length: 10 }, (_, i) => `user-${i}`);
    const sizes: number[] = [];
    for (let wave = 0; wave < 12; wave++) {
      await h.write(h.requests(keys, 20)); // 200 rows
      await sleep(250);
      sizes.push(await rows());
    }
    await expect.poll(rows, { timeout: 10_000, interval: 200 }).toBe(1);
    const [left] = await h.pool.query('SELECT message_key, published_at FROM outbox_events');

    // 2,400 rows written; about 3 waves live in the table (retention + interval + relay lag).
    expect(Math.max(...sizes)).toBeLessThan(1_200);
    expect(left).toMatchObject({ message_key: 'user-stuck', published_at: null });
  }, 60_000);
});
