import { consumerGroups, topics } from '@commerce/events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Api, createApi, createTopics } from '../support/harness.ts';
import { type ServiceProcess, startService } from '../support/processes.ts';

// Orders are paid at chosen instants around Seoul midnights (order-api in this process, its
// clock set per payment); ranking-worker runs as its own process. The expected sums come
// from SQL over the order database, with Seoul's midnight written as +09:00 (Seoul keeps no
// daylight saving time), not from the code under test.
const HOUR = 3_600_000;
const now = Date.now();
const seoulDay = (at: number, back = 0) =>
  new Date(at + 9 * HOUR - back * 24 * HOUR).toISOString().slice(0, 10);
const windowStart = (days: number) => Date.parse(`${seoulDay(now, days - 1)}T00:00:00+09:00`);

let clock = new Date(now);
let api: Api;
let kafka: Awaited<ReturnType<typeof createTopics>>;
let worker: ServiceProcess;
const workerEnv = () => ({
  KAFKA_BROKERS: api.config.KAFKA_BROKERS.join(','),
  SCHEMA_REGISTRY_URL: api.config.SCHEMA_REGISTRY_URL,
  REDIS_URL: api.config.REDIS_URL,
  RANKING_KEY_PREFIX: api.config.RANKING_KEY_PREFIX,
  KAFKA_NAME_PREFIX: api.config.KAFKA_NAME_PREFIX,
  PORT: '0',
});

beforeAll(async () => {
  api = await createApi({ env: { RANKING_CACHE_MS: '0' }, overrides: { now: () => clock } });
  kafka = await createTopics(api.config.KAFKA_NAME_PREFIX);
  api.deps.relay.start();
  worker = await startService('ranking-worker', workerEnv());
});
afterAll(async () => {
  await worker?.kill('SIGTERM'); // leaves its group, so kafka.delete() can remove it
  await kafka?.delete();
  await api?.close();
});

/** Units per product sold from `since` on, from the order database. */
async function soldSince(since: number): Promise<Record<string, number>> {
  const rows = await api.deps.prisma.$queryRaw<{ product_id: string; units: unknown }[]>`
    SELECT i.product_id, SUM(i.quantity) AS units FROM orders o JOIN order_items i ON i.order_id = o.id
     WHERE o.status = 'COMPLETED' AND o.completed_at >= ${new Date(since)} GROUP BY i.product_id`;
  return Object.fromEntries(rows.map((r) => [r.product_id, Number(r.units)]));
}

async function ranked(days: number): Promise<Record<string, number>> {
  clock = new Date(now);
  const res = await api.app.inject({ url: `/products/rankings?days=${days}&limit=100` });
  const items: { productId: string; quantity: number }[] = res.json().items;
  return Object.fromEntries(items.map((i) => [i.productId, i.quantity]));
}

/** Everything committed is published, and the worker's group has consumed all of it. */
async function caughtUp() {
  await expect
    .poll(async () => (await api.deps.relay.stats()).backlog, { timeout: 15_000 })
    .toBe(0);
  await expect.poll(() => kafka.workerLag(), { timeout: 15_000, interval: 100 }).toBe(0);
}

describe('rankings against the order database', () => {
  let paid = 0;

  it('when orders are paid on both sides of Seoul midnights, then the 1, 3 and 7-day rankings equal the database sums', async () => {
    const products = [];
    for (let i = 0; i < 4; i++) products.push(await api.product(1_000, 100 + i, `product-${i}`));
    // A millisecond before and at each window's first midnight, plus older and recent sales.
    const instants = [1, 3, 7].flatMap((days) => [windowStart(days) - 1, windowStart(days)]);
    instants.push(windowStart(7) - 20 * HOUR, now - 60_000, now - 2 * HOUR);
    for (const [n, at] of instants.filter((at) => at <= now).entries()) {
      const lines = products
        .filter((_, i) => (n + i) % 3 !== 0)
        .map((p, i) => ({ productId: p.id, quantity: 1 + ((n + i) % 4) }));
      clock = new Date(at - 1_000);
      const order = await api.order(lines, `user-${n % 3}`);
      clock = new Date(at);
      expect((await api.pay(order.id, order.total)).statusCode).toBe(200);
      paid++;
    }
    await caughtUp();

    for (const days of [1, 3, 7]) {
      expect({ days, ranking: await ranked(days) }).toEqual({
        days,
        ranking: await soldSince(windowStart(days)),
      });
    }
    // The windows really differ, so each boundary was tested.
    expect(await soldSince(windowStart(7))).not.toEqual(await soldSince(windowStart(3)));
  });

  it('when the worker is stopped, its group rewound to the start and the worker run again, then the rankings do not change', async () => {
    const before = [await ranked(1), await ranked(3), await ranked(7)];
    expect(await worker.kill('SIGTERM')).toBe(0);
    await kafka.admin.resetOffsets({
      groupId: api.config.KAFKA_NAME_PREFIX + consumerGroups.rankingWorker.groupId,
      topic: api.config.KAFKA_NAME_PREFIX + topics.orderCompleted.name,
      earliest: true,
    });
    expect(await kafka.workerLag()).toBe(paid);

    worker = await startService('ranking-worker', workerEnv());
    await caughtUp();

    expect([await ranked(1), await ranked(3), await ranked(7)]).toEqual(before);
    const metrics = await (await fetch(`http://127.0.0.1:${worker.port}/metrics`)).text();
    expect(metrics).toContain(
      `ranking_events_total{outcome="duplicate",service="ranking-worker"} ${paid}\n`,
    );
    expect(metrics).not.toContain('outcome="counted"');
  });
});
