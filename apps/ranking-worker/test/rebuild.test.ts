import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { anEvent } from '@commerce/events/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRankingWriter } from '../src/data-access/ranking.repository.ts';
import { createWorkerHarness, type WorkerHarness } from './support/harness.ts';

// The rebuild reads the order-completed topic back: this test publishes the events there,
// one of them twice (the outbox delivers at least once), plus one poison message.
const run = promisify(execFile);

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const seoulDay = (at: number) => new Date(at + 9 * HOUR).toISOString().slice(0, 10);
const today = seoulDay(Date.now());
const midnight = Date.parse(`${today}T00:00:00+09:00`);
const [yesterday, twoDaysAgo] = [seoulDay(midnight - 1), seoulDay(midnight - DAY - 1)];

const orders = [
  { id: randomUUID(), at: midnight - 1, lines: { p1: 2, p2: 1 } }, // yesterday, last millisecond
  { id: randomUUID(), at: midnight, lines: { p1: 5 } }, // today, first millisecond
  { id: randomUUID(), at: midnight + HOUR, lines: { p2: 3, p3: 1 } },
  { id: randomUUID(), at: midnight - 2 * DAY - 1, lines: { p3: 40 } }, // three days ago: outside the range
].map((o) => ({ ...o, eventId: randomUUID() }));

let harness: WorkerHarness;
let prefix: string;

beforeAll(async () => {
  harness = await createWorkerHarness();
  prefix = harness.config.RANKING_KEY_PREFIX;
  const events = orders.map((o) => ({
    ...anEvent('OrderCompleted'),
    eventId: o.eventId,
    orderId: o.id,
    userId: 'u',
    completedAt: o.at,
    items: Object.entries(o.lines).map(([productId, quantity]) => ({
      productId,
      quantity,
      unitPrice: 100,
    })),
  }));
  await harness.publish([...events, events[2] as (typeof events)[number]]);
  await harness.publishRaw(Buffer.from('not an event'));
});
afterAll(() => harness.close());

const rebuild = (...args: string[]) =>
  run(process.execPath, ['--conditions=@commerce/source', 'src/cli/rebuild.ts', ...args], {
    cwd: join(import.meta.dirname, '..'),
    env: { ...process.env, ...harness.env, LOG_LEVEL: 'silent' },
  });

const scores = (day: string) => harness.day(day);

describe('the rebuild command', () => {
  it('when the ranking is wrong or lost, then the days in range are recomputed from the order-completed topic, each order once, around the Seoul midnight', async () => {
    await harness.redis.zadd(`${prefix}daily:${yesterday}`, 99, 'p1', 7, 'stale');
    await harness.redis.zadd(`${prefix}daily:${twoDaysAgo}`, 1, 'ghost');
    const beforeRange = seoulDay(midnight - 2 * DAY - 1);
    await harness.redis.zadd(`${prefix}daily:${beforeRange}`, 1, 'untouched');

    const { stdout } = await rebuild('--from', twoDaysAgo, '--to', today);
    await rebuild('--from', twoDaysAgo, '--to', today); // twice: same result

    expect(stdout).toContain(`${today}  rebuilt: 2 orders, 3 products, 9 units`);
    expect(await scores(yesterday)).toEqual({ p1: 2, p2: 1 });
    expect(await scores(today)).toEqual({ p1: 5, p2: 3, p3: 1 });
    expect(await scores(twoDaysAgo)).toEqual({});
    expect(await scores(beforeRange)).toEqual({ untouched: 1 });
    // Kept as long as the worker would keep it: latest completion + 7-day window + 1 day.
    expect(await harness.redis.pexpiretime(`${prefix}daily:${today}`)).toBe(
      midnight + HOUR + 8 * DAY,
    );
  });

  it('when an order counted by the rebuild is delivered late, then the worker does not count it again', async () => {
    await rebuild('--from', yesterday, '--to', today);
    const writer = createRankingWriter(harness.redis, prefix);
    const late = orders[2] as (typeof orders)[number];

    const outcome = await writer.countOnce({
      eventId: late.eventId,
      day: today,
      lines: [
        { productId: 'p2', quantity: 3 },
        { productId: 'p3', quantity: 1 },
      ],
      expiresAt: late.at + 8 * DAY,
    });

    expect(outcome).toBe('duplicate');
    expect(await scores(today)).toEqual({ p1: 5, p2: 3, p3: 1 });
  });

  it('when the range is malformed, then the command refuses with its usage and writes nothing', async () => {
    for (const args of [
      ['--from', today, '--to', yesterday],
      ['--from', '2026-02-30', '--to', '2026-03-01'],
    ]) {
      await expect(rebuild(...args)).rejects.toMatchObject({
        code: 2,
        stderr: expect.stringContaining('usage'),
      });
    }
    expect(await harness.redis.exists(`${prefix}daily:2026-03-01`)).toBe(0);
  });
});
