// POST /orders/{id}/pay at twice its measured maximum rate for 30 s: order-api (its own
// process) must shed the excess with 429/503, keep the accepted payments' p99 bounded, not
// crash nor run out of memory, come back near its memory baseline, and lose nothing: every
// 200 is a COMPLETED order with its payment, every other answer leaves the order PENDING,
// stock never below zero. Usage (stack up):
//   pnpm --filter @commerce/order-api exec node --conditions=@commerce/source bench/overload.ts
// BENCH_SECONDS (30), OVERLOAD_MAX_EVENT_LOOP_DELAY_MS (100) and
// OVERLOAD_MAX_WRITES_IN_FLIGHT (64) change it.
import { loadavg } from 'node:os';
import { setTimeout } from 'node:timers/promises';
import { parseDatabaseUrl } from '@commerce/db';
import {
  closedLoopRate,
  heapUsedBytes,
  jsonClient,
  openLoopRun,
  rssBytes,
  waitFor,
} from '@commerce/testing';
import { createPool } from 'mariadb';
import {
  bearer,
  createTopics,
  freshDatabase,
  isolatedEnv,
  operatorKey,
} from '../test/support/harness.ts';
import { startService } from '../test/support/processes.ts';
import { bounded } from './load.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const DELAY_MS = process.env.OVERLOAD_MAX_EVENT_LOOP_DELAY_MS ?? '100';
const WRITES = process.env.OVERLOAD_MAX_WRITES_IN_FLIGHT ?? '64';
const load1 = () => (loadavg()[0] ?? 0).toFixed(1);
const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;

const database = await freshDatabase('order_overload');
const env = isolatedEnv(database.url, {
  DATABASE_POOL_SIZE: '16',
  OVERLOAD_MAX_EVENT_LOOP_DELAY_MS: DELAY_MS,
  OVERLOAD_MAX_WRITES_IN_FLIGHT: WRITES,
  OVERLOAD_RETRY_AFTER_SECONDS: '1',
});
const kafka = await createTopics(env.KAFKA_NAME_PREFIX);
const api = await startService('order-api', env);
const base = `http://127.0.0.1:${api.port}`;
const pool = createPool({ ...parseDatabaseUrl(database.url), connectionLimit: 2 });
const client = jsonClient(base);
const shoppers = await Promise.all(Array.from({ length: 200 }, (_, i) => bearer(`payer-${i}`)));

/** POSTs until the answer is not shed: the set-up must not fail because the service sheds. */
async function created(path: string, body: unknown, headers: Record<string, string>) {
  for (;;) {
    const answer = await client.send(path, body, headers);
    if (answer.status === 201) return answer.body?.id as string;
    if (answer.status !== 503 && answer.status !== 429)
      throw new Error(`${path}: ${answer.status} ${answer.code}`);
    await setTimeout(1_000);
  }
}

/** `count` PENDING orders of one unit each, spread over 100 products with ample stock. */
async function pendingOrders(count: number) {
  const operator = { 'x-api-key': operatorKey };
  const products = await bounded(100, 16, (i) =>
    created('/products', { name: `p${i}`, price: 1_000, stock: 10_000_000 }, operator),
  );
  return bounded(count, 16, async (i) => {
    const shopper = shoppers[i % shoppers.length] as Record<string, string>;
    const items = [{ productId: products[i % 100], quantity: 1 }];
    return { id: await created('/orders', { items }, shopper), shopper };
  });
}
const pay = (order: { id: string; shopper: Record<string, string> }) =>
  client.send(`/orders/${order.id}/pay`, { amount: 1_000, method: 'CARD' }, order.shopper);

try {
  const baseline = rssBytes(api.child.pid as number);
  const heapBaseline = await heapUsedBytes(base);
  const forMax = await pendingOrders(3_000);
  let used = 0;
  const max = await closedLoopRate({
    seconds: 10,
    concurrency: 32,
    send: async () =>
      used < forMax.length ? pay(forMax[used++] as (typeof forMax)[number]) : { status: 0 },
  });
  const rate = Math.round(2 * max);
  console.log(
    `overload: max ${Math.round(max)} payments/s (closed loop, 32 connections, ${used} orders); load ${load1()}`,
  );

  const orders = await pendingOrders(rate * SECONDS);
  const outcome = new Map<string, number>();
  let peak = baseline;
  const sampler = setInterval(() => {
    peak = Math.max(peak, rssBytes(api.child.pid as number));
  }, 250);
  const report = await openLoopRun({
    rate,
    seconds: SECONDS,
    send: (i) => pay(orders[i] as (typeof orders)[number]),
    accepted: (answer) => answer.status === 200,
    onAnswer: (i, answer) => outcome.set((orders[i] as { id: string }).id, answer.status),
  });
  clearInterval(sampler);
  console.log(
    `overload: ${report.sent} payments at ${rate}/s for ${report.seconds.toFixed(1)} s:`,
    report.answers,
  );
  console.log(
    `overload: accepted p50 ${report.acceptedP50} ms, p99 ${report.acceptedP99} ms, max ${report.acceptedMax} ms; load ${load1()}`,
  );

  const alive = await fetch(`${base}/healthz`);
  // The heap is what returns (V8 keeps RSS it once took): back within 50 MB of its baseline.
  await waitFor(
    'heap back near the baseline',
    60_000,
    async () => (await heapUsedBytes(base)) < heapBaseline + 50 * 1024 * 1024,
  ).catch((err: Error) => console.log(`overload: ${err.message}`));
  const heapAfter = await heapUsedBytes(base);
  const after = rssBytes(api.child.pid as number);

  // Nothing lost, nothing twice: the database agrees with every answer.
  const ids = orders.map((o) => o.id);
  const rows: { id: string; status: string; payments: bigint }[] = await pool.query(
    `SELECT o.id, o.status, (SELECT COUNT(*) FROM payments p WHERE p.order_id = o.id) AS payments
       FROM orders o WHERE o.id IN (?)`,
    [ids],
  );
  const wrong = rows.filter((row) => {
    const paid = outcome.get(row.id) === 200;
    return paid
      ? row.status !== 'COMPLETED' || Number(row.payments) !== 1
      : row.status === 'COMPLETED'
        ? outcome.get(row.id) !== 0 // a timed-out payment may have committed; never twice
        : Number(row.payments) !== 0;
  });
  const [negative] = await pool.query('SELECT COUNT(*) AS n FROM products WHERE stock < 0');
  const other5xx = Object.keys(report.answers).filter((k) => /^5/.test(k) && !k.startsWith('503'));
  console.log(
    `RESULT overload pay at ${rate}/s (2 x ${Math.round(max)}) for ${SECONDS} s: ${report.answers['200'] ?? 0} paid, ` +
      `${(report.answers['429 RATE_LIMITED'] ?? 0) + (report.answers['503 OVERLOADED'] ?? 0)} shed (429/503), other 5xx: ${other5xx.join(', ') || 'none'}; ` +
      `accepted p99 ${report.acceptedP99} ms; alive ${alive.status}; RSS ${mb(baseline)} → peak ${mb(peak)} → ${mb(after)}, heap ${mb(heapBaseline)} → ${mb(heapAfter)}; ` +
      `orders disagreeing with their answer: ${wrong.length}; products below zero: ${Number(negative.n)}; load ${load1()}`,
  );
  if (wrong.length > 0 || Number(negative.n) > 0 || other5xx.length > 0) process.exitCode = 1;
} finally {
  client.close();
  await pool.end();
  await api.kill();
  await kafka.delete();
  await database.drop();
}
