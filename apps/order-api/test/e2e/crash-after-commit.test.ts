import { parseDatabaseUrl } from '@commerce/db';
import { topics } from '@commerce/events';
import { deleteKeys, stackAddresses } from '@commerce/testing';
import { Redis } from 'ioredis';
import { createPool, type Pool } from 'mariadb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTopics,
  freshDatabase,
  isolatedEnv,
  operatorKey,
  shopperCalls,
} from '../support/harness.ts';
import { countedByRanking, type ServiceProcess, startService } from '../support/processes.ts';

let database: Awaited<ReturnType<typeof freshDatabase>>;
let kafka: Awaited<ReturnType<typeof createTopics>>;
let env: Record<string, string>;
let pool: Pool;
const redis = new Redis(stackAddresses().redisUrl);
const processes: ServiceProcess[] = [];

beforeAll(async () => {
  database = await freshDatabase('order_crash');
  env = isolatedEnv(database.url, { RANKING_CACHE_MS: '0' });
  kafka = await createTopics(env.KAFKA_NAME_PREFIX as string);
  pool = createPool({ ...parseDatabaseUrl(database.url), connectionLimit: 2 });
  processes.push(await startService('ranking-worker', env));
});
afterAll(async () => {
  // SIGTERM: the worker leaves its consumer group, so kafka.delete() can remove the group.
  await Promise.allSettled(processes.map((p) => p.kill('SIGTERM')));
  await pool?.end();
  await kafka?.delete();
  await deleteKeys(redis, env.RANKING_KEY_PREFIX as string);
  redis.disconnect();
  await database?.drop();
});

async function start(extra: Record<string, string> = {}) {
  const service = await startService('order-api', { ...env, ...extra });
  processes.push(service);
  return service;
}

const call = shopperCalls();

async function messagesOn(topic: string): Promise<number> {
  const offsets = await kafka.admin.fetchTopicOffsets(env.KAFKA_NAME_PREFIX + topic);
  return offsets.reduce((sum, p) => sum + Number(p.high), 0);
}

const counted = () => countedByRanking(processes[0] as ServiceProcess);

describe('a payment whose process dies right after the commit', () => {
  // Deterministic: FAULT_EXIT_AFTER_PAYMENT_COMMIT makes order-api exit(137) right after the
  // payment commits and before the relay is woken, the window where publishing after the
  // commit (without an outbox) loses events. The relay's sweep runs on a timer and the exit
  // happens in the same tick as the commit's completion, so this process never publishes.
  it('when order-api exits between commit and publish, then a fresh instance publishes its events and the ranking counts them once', async () => {
    const doomed = await start({ FAULT_EXIT_AFTER_PAYMENT_COMMIT: 'true' });
    const product = await call(
      doomed.port,
      'POST',
      '/products',
      { name: 'mug', price: 4_500, stock: 10 },
      { 'x-api-key': operatorKey },
    );
    const order = await call(doomed.port, 'POST', '/orders', {
      userId: 'crash-user',
      items: [{ productId: product.body.id, quantity: 3 }],
    });
    const countedBefore = await counted();

    await expect(
      call(doomed.port, 'POST', `/orders/${order.body.id}/pay`, { amount: 13_500, method: 'CARD' }),
    ).rejects.toThrow();
    expect(await doomed.exited).toBe(137);

    // Committed, not published: the order is paid and the outbox holds its three events.
    const outbox = (): Promise<{ event_type: string; published_at: Date | null }[]> =>
      pool.query('SELECT event_type, published_at FROM outbox_events ORDER BY id');
    const [{ status }] = await pool.query('SELECT status FROM orders WHERE id = ?', [
      order.body.id,
    ]);
    expect(status).toBe('COMPLETED');
    expect((await outbox()).map((row) => [row.event_type, row.published_at])).toEqual([
      ['OrderCompleted', null],
      ['PaymentCompleted', null],
      ['ProductStockChanged', null],
    ]);
    expect(await messagesOn(topics.orderCompleted.name)).toBe(0);

    const fresh = await start();
    await expect
      .poll(async () => (await call(fresh.port, 'GET', '/products/rankings?days=1')).body.items, {
        timeout: 15_000,
        interval: 100,
      })
      .toEqual([{ rank: 1, productId: product.body.id, name: 'mug', quantity: 3 }]);
    // The relay marks rows published after Kafka's ack, so the mark may trail the ranking.
    await expect
      .poll(async () => (await outbox()).every((row) => row.published_at !== null), {
        timeout: 5_000,
      })
      .toBe(true);
    expect([
      await messagesOn(topics.orderCompleted.name),
      await messagesOn(topics.externalEvents.name),
      await messagesOn(topics.productEvents.name),
    ]).toEqual([1, 1, 1]);
    expect((await counted()) - countedBefore).toBe(1);
    await fresh.kill();
  });

  // Not deterministic in when it strikes, deterministic in what must hold: whatever was in
  // flight (a transaction, a relay round between Kafka's ack and its commit), every paid
  // order reaches the ranking exactly once.
  it('when order-api is killed with SIGKILL during a burst of payments, then after a restart the ranking equals the paid orders exactly', async () => {
    const api = await start();
    const product = await call(
      api.port,
      'POST',
      '/products',
      { name: 'lamp', price: 1_000, stock: 1_000 },
      { 'x-api-key': operatorKey },
    );
    const orders = [];
    for (let i = 0; i < 60; i++) {
      orders.push(
        (
          await call(api.port, 'POST', '/orders', {
            userId: `burst-${i % 7}`,
            items: [{ productId: product.body.id, quantity: 1 + (i % 3) }],
          })
        ).body,
      );
    }

    let answered = 0;
    const payments = orders.map((o) =>
      call(api.port, 'POST', `/orders/${o.id}/pay`, { amount: o.total, method: 'WALLET' }).then(
        () => answered++,
        () => 'cut off by the kill',
      ),
    );
    await expect.poll(() => answered, { interval: 1, timeout: 15_000 }).toBeGreaterThanOrEqual(10);
    await api.kill('SIGKILL');
    await Promise.allSettled(payments);

    const restarted = await start();
    await expect
      .poll(
        async () =>
          Number(
            (
              await pool.query('SELECT COUNT(*) AS n FROM outbox_events WHERE published_at IS NULL')
            )[0].n,
          ),
        { timeout: 15_000 },
      )
      .toBe(0);
    await expect.poll(() => kafka.workerLag(), { timeout: 15_000, interval: 100 }).toBe(0);
    const [sold] = await pool.query(
      `SELECT COUNT(DISTINCT o.id) AS orders, COALESCE(SUM(i.quantity), 0) AS units FROM orders o JOIN order_items i ON i.order_id = o.id
        WHERE o.status = 'COMPLETED' AND i.product_id = ?`,
      [product.body.id],
    );
    const [{ stock }] = await pool.query('SELECT stock FROM products WHERE id = ?', [
      product.body.id,
    ]);
    const ranking = (await call(restarted.port, 'GET', '/products/rankings?days=1')).body.items;

    expect(Number(sold.orders)).toBeGreaterThanOrEqual(answered);
    expect(
      ranking.find((i: { productId: string }) => i.productId === product.body.id)?.quantity,
    ).toBe(Number(sold.units));
    expect(Number(stock) + Number(sold.units)).toBe(1_000);
  });
});
