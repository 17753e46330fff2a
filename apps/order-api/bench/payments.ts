#!/usr/bin/env node
// Payments and pay → ranking latency, with order-api and ranking-worker as processes of
// their own (as deployed) on a fresh database, topics and keys of this run.
//  1. Maximum rate: N payments (each a PENDING order of one unit) sent by a bounded closed
//     loop of C concurrent requests (Node's fetch: autocannon is not in the pnpm catalog).
//  2. Latency at half that rate: an open loop sends payments at R = max/2 for D seconds;
//     each pays a product of its own, so the moment its units appear in the day's sorted set
//     (polled every millisecond) is the moment the ranking shows it.
//   pnpm --filter @commerce/order-api bench [payments] [seconds]   defaults 3000, 10
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import {
  atMost,
  deleteKeys,
  percentile,
  stackAddresses,
  writeBenchResults,
} from '@commerce/testing';
import { Redis } from 'ioredis';
import {
  bearer,
  createTopics,
  freshDatabase,
  isolatedEnv,
  operatorKey,
} from '../test/support/harness.ts';
import { startService } from '../test/support/processes.ts';
import { bounded, openLoop, postJson } from './load.ts';

const total = Number(process.argv[2] ?? 3_000);
const seconds = Number(process.argv[3] ?? 10);
const concurrency = 32;

const database = await freshDatabase('order_bench');
const env = isolatedEnv(database.url, { DATABASE_POOL_SIZE: '16' });
const kafka = await createTopics(env.KAFKA_NAME_PREFIX); // and the worker's dead-letter topic
const worker = await startService('ranking-worker', env);
const api = await startService('order-api', env);
const base = `http://127.0.0.1:${api.port}`;
const redis = new Redis(stackAddresses().redisUrl);

// The shoppers' tokens, minted once (signing costs more than a request).
const shoppers = await Promise.all(
  Array.from({ length: 100 }, async (_, i) => bearer(`user-${i}`)),
);
const owners = new Map<string, Record<string, string>>();

/** `count` PENDING orders of one unit each, over `products` (made here, each with `stock`). */
async function pendingOrders(count: number, products: number, stock: number) {
  const ids = await bounded(
    products,
    16,
    async (i) =>
      (
        await postJson(
          `${base}/products`,
          { name: `p${i}`, price: 1_000, stock },
          { 'x-api-key': operatorKey },
        )
      ).id as string,
  );
  const orders = await bounded(count, 16, async (i) => {
    const productId = ids[i % products] as string;
    const shopper = shoppers[i % 100] as Record<string, string>;
    const order = await postJson(
      `${base}/orders`,
      { items: [{ productId, quantity: 1 }] },
      shopper,
    );
    owners.set(order.id as string, shopper);
    return { id: order.id as string, productId };
  });
  return orders;
}

const pay = (orderId: string) =>
  postJson(`${base}/orders/${orderId}/pay`, { amount: 1_000, method: 'CARD' }, owners.get(orderId));

// 1. Maximum rate.
const forMax = await pendingOrders(total, 100, total);
const started = performance.now();
await bounded(total, concurrency, (i) => pay((forMax[i] as { id: string }).id));
const maxRate = total / ((performance.now() - started) / 1_000);

// 2. Latency at half the maximum rate.
const rate = Math.max(1, Math.floor(maxRate / 2));
const count = rate * seconds;
const forLatency = await pendingOrders(count, count, 1);
const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Seoul' }).format(Date.now());
const dailyKey = `${env.RANKING_KEY_PREFIX}daily:${day}`;
const answered = new Map<string, number>(); // productId → when the payment was acknowledged
const sent = new Map<string, number>();
const visibleAfterAck: number[] = [];
const visibleAfterSend: number[] = [];
let polling = true;
const poller = (async () => {
  while (polling || answered.size > 0) {
    const pending = [...answered.keys()];
    if (pending.length > 0) {
      const scores = await redis.zmscore(dailyKey, ...pending);
      const now = performance.now();
      pending.forEach((productId, i) => {
        if (scores[i] === null) return;
        visibleAfterAck.push(now - (answered.get(productId) as number));
        visibleAfterSend.push(now - (sent.get(productId) as number));
        answered.delete(productId);
      });
    }
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
})();
const paceStart = performance.now();
await openLoop(count, rate, async (i) => {
  const { id, productId } = forLatency[i] as { id: string; productId: string };
  sent.set(productId, performance.now());
  await pay(id);
  answered.set(productId, performance.now());
});
const achieved = count / ((performance.now() - paceStart) / 1_000);
polling = false;
await poller;

const ms = (xs: number[], p: number) => percentile(xs, p).toFixed(1);
console.log(
  `machine: ${cpus().length} cores, load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')} (1/5/15 min)`,
);
console.log(`payments: ${total} at concurrency ${concurrency} (closed loop, Node fetch)`);
console.log(`max payments/s            ${maxRate.toFixed(0)}`);
console.log(
  `latency run               ${count} payments at ${rate}/s for ${seconds}s (achieved ${achieved.toFixed(0)}/s)`,
);
console.log(
  `pay acknowledged → ranked p50 ${ms(visibleAfterAck, 50)} ms  p99 ${ms(visibleAfterAck, 99)} ms  max ${ms(visibleAfterAck, 100)} ms`,
);
console.log(
  `pay sent → ranked         p50 ${ms(visibleAfterSend, 50)} ms  p99 ${ms(visibleAfterSend, 99)} ms`,
);
writeBenchResults([
  {
    component: 'order-api',
    metric: `POST /orders/:id/pay, ${concurrency} concurrent, ${total} payments`,
    kind: 'throughput',
    unit: 'payments/s',
    value: maxRate,
  },
  {
    component: 'order-api',
    metric: `pay acknowledged → ranked p99, at ${rate}/s`,
    kind: 'latency',
    unit: 'ms',
    value: percentile(visibleAfterAck, 99),
    target: atMost(100),
  },
  {
    component: 'order-api',
    metric: `pay acknowledged → ranked p50, at ${rate}/s`,
    kind: 'latency',
    unit: 'ms',
    value: percentile(visibleAfterAck, 50),
  },
  {
    component: 'order-api',
    metric: `pay sent → ranked p99, at ${rate}/s`,
    kind: 'latency',
    unit: 'ms',
    value: percentile(visibleAfterSend, 99),
  },
]);

await api.kill();
await worker.kill();
await kafka.delete();
await deleteKeys(redis, env.RANKING_KEY_PREFIX);
redis.disconnect();
await database.drop();
