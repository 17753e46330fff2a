import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { formatDatabaseUrl, migrate } from '@commerce/db';
import { stackAddresses, uniqueName } from '@commerce/testing';
import { Redis } from 'ioredis';
import { createConnection } from 'mariadb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRankingWriter } from '../src/data-access/ranking.repository.ts';
import { deleteKeys } from './support/harness.ts';

// The rebuild reads order-api's database: this test creates it with order-api's own
// migrations, so a change of those tables that breaks the rebuild fails here.
const orderMigrations = join(import.meta.dirname, '..', '..', 'order-api', 'prisma', 'migrations');
const run = promisify(execFile);
const stack = stackAddresses();
const db = { ...stack.mysql, database: uniqueName('rank_rebuild') };
const prefix = `${uniqueName('rebuild')}:ranking:`;
const redis = new Redis(stack.redisUrl);

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
const pending = { id: randomUUID(), lines: { p3: 100 } };

const utc = (at: number) => new Date(at).toISOString().replace('T', ' ').replace('Z', '');

beforeAll(async () => {
  await migrate(db, orderMigrations);
  const conn = await createConnection(db);
  for (const p of ['p1', 'p2', 'p3']) {
    await conn.query('INSERT INTO products (id, name, price, stock) VALUES (?, ?, 100, 10)', [
      p,
      p,
    ]);
  }
  for (const o of orders) {
    await conn.query(
      "INSERT INTO orders (id, user_id, status, total, currency, completed_at, completed_event_id) VALUES (?, 'u', 'COMPLETED', 0, 'KRW', ?, ?)",
      [o.id, utc(o.at), o.eventId],
    );
  }
  await conn.query("INSERT INTO orders (id, user_id, total, currency) VALUES (?, 'u', 0, 'KRW')", [
    pending.id,
  ]);
  for (const o of [...orders, pending]) {
    for (const [product, quantity] of Object.entries(o.lines)) {
      await conn.query(
        'INSERT INTO order_items (order_id, product_id, quantity, unit_price) VALUES (?, ?, ?, 100)',
        [o.id, product, quantity],
      );
    }
  }
  await conn.end();
});
afterAll(async () => {
  await deleteKeys(redis, prefix);
  redis.disconnect();
  const conn = await createConnection(stack.mysql);
  await conn.query(`DROP DATABASE IF EXISTS \`${db.database}\``);
  await conn.end();
});

const rebuild = (...args: string[]) =>
  run(process.execPath, ['--conditions=@commerce/source', 'src/cli/rebuild.ts', ...args], {
    cwd: join(import.meta.dirname, '..'),
    env: {
      ...process.env,
      ORDER_DATABASE_URL: formatDatabaseUrl(db),
      REDIS_URL: stack.redisUrl,
      RANKING_KEY_PREFIX: prefix,
      // Neither the process's time zone nor the driver's may shift the stored UTC times.
      TZ: 'America/Los_Angeles',
    },
  });

async function scores(day: string): Promise<Record<string, number>> {
  const flat = await redis.zrange(`${prefix}daily:${day}`, 0, -1, 'WITHSCORES');
  const out: Record<string, number> = {};
  for (let i = 0; i < flat.length; i += 2) out[flat[i] as string] = Number(flat[i + 1]);
  return out;
}

describe('the rebuild command', () => {
  it('when the ranking is wrong or lost, then the days in range are recomputed from completed orders, around the Seoul midnight', async () => {
    await redis.zadd(`${prefix}daily:${yesterday}`, 99, 'p1', 7, 'stale');
    await redis.zadd(`${prefix}daily:${twoDaysAgo}`, 1, 'ghost');
    const beforeRange = seoulDay(midnight - 2 * DAY - 1);
    await redis.zadd(`${prefix}daily:${beforeRange}`, 1, 'untouched');

    const { stdout } = await rebuild('--from', twoDaysAgo, '--to', today);
    await rebuild('--from', twoDaysAgo, '--to', today); // twice: same result

    expect(stdout).toContain(`${today}  rebuilt: 2 orders, 3 products, 9 units`);
    expect(await scores(yesterday)).toEqual({ p1: 2, p2: 1 });
    expect(await scores(today)).toEqual({ p1: 5, p2: 3, p3: 1 });
    expect(await scores(twoDaysAgo)).toEqual({});
    expect(await scores(beforeRange)).toEqual({ untouched: 1 });
    // Kept as long as the worker would keep it: latest completion + 7-day window + 1 day.
    expect(await redis.pexpiretime(`${prefix}daily:${today}`)).toBe(midnight + HOUR + 8 * DAY);
  });

  it('when an order counted by the rebuild is delivered late, then the worker does not count it again', async () => {
    await rebuild('--from', yesterday, '--to', today);
    const writer = createRankingWriter(redis, prefix);
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
    expect(await redis.exists(`${prefix}daily:2026-03-01`)).toBe(0);
  });
});
