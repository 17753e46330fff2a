import { setTimeout as sleep } from 'node:timers/promises';
import { parseDatabaseUrl } from '@commerce/db';
import {
  type DedicatedDatabaseServer,
  deleteKeys,
  stackAddresses,
  startDedicatedDatabaseServer,
} from '@commerce/testing';
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

const OUTAGE_MS = 20_000;
const STOCK = 1_000_000;
// Five shoppers place orders and five pay them, each pausing between requests: a steady
// load, not a flood. Shoppers pay a while after ordering, so payments of orders placed
// before the outage keep arriving during it.
const PLACERS = 5;
const PAYERS = 5;
const PAY_AFTER_MS = 3_000;
const PAUSE_MS = 100;

let server: DedicatedDatabaseServer;
let database: Awaited<ReturnType<typeof freshDatabase>>;
let kafka: Awaited<ReturnType<typeof createTopics>>;
let env: Record<string, string>;
let pool: Pool;
let ranking: ServiceProcess;
let api: ServiceProcess;
const redis = new Redis(stackAddresses().redisUrl);

beforeAll(async () => {
  server = await startDedicatedDatabaseServer();
  database = await freshDatabase('order_outage', server);
  env = isolatedEnv(database.url, { RANKING_CACHE_MS: '0' });
  kafka = await createTopics(env.KAFKA_NAME_PREFIX as string);
  pool = createPool({ ...parseDatabaseUrl(database.url), connectionLimit: 2 });
  ranking = await startService('ranking-worker', env);
  api = await startService('order-api', env);
}, 120_000);
afterAll(async () => {
  await Promise.allSettled([api?.kill('SIGTERM'), ranking?.kill('SIGTERM')]);
  await pool?.end();
  await kafka?.delete();
  await deleteKeys(redis, env.RANKING_KEY_PREFIX as string);
  redis.disconnect();
  await server?.destroy(); // the database goes with the server
});

const call = shopperCalls();

/** A shopper of the load: one order, placed and paid with an Idempotency-Key each. */
interface Shopper {
  userId: string;
  quantity: number;
  order?: { id: string; total: number };
  placedAt?: number;
}

interface Answer {
  step: 'place' | 'pay';
  shopper: Shopper;
  status: number;
  code?: string;
  retryAfter: string | null;
  sentAt: number;
  answeredAt: number;
}

const keyOf = (step: Answer['step'], shopper: Shopper) => `${step}-${shopper.userId}`;

/** Sends a shopper's step; no answer at all (the process gone) is recorded as status 0. */
async function send(step: Answer['step'], shopper: Shopper, productId: string): Promise<Answer> {
  const sentAt = Date.now();
  const headers = { 'idempotency-key': keyOf(step, shopper) };
  const res = await (step === 'place'
    ? call(
        api.port,
        'POST',
        '/orders',
        { userId: shopper.userId, items: [{ productId, quantity: shopper.quantity }] },
        headers,
      )
    : call(
        api.port,
        'POST',
        `/orders/${shopper.order?.id}/pay`,
        { amount: shopper.order?.total, method: 'CARD' },
        headers,
      )
  ).catch((err: Error) => ({
    status: 0,
    headers: new Headers(),
    body: { error: { code: `no answer: ${err.message}` } },
  }));
  if (step === 'place' && res.status === 201) shopper.order = res.body;
  return {
    step,
    shopper,
    status: res.status,
    ...(res.body.error ? { code: res.body.error.code } : {}),
    retryAfter: res.headers.get('retry-after'),
    sentAt,
    answeredAt: Date.now(),
  };
}

/** Places and pays orders until stop(), recording every answer. */
function steadyLoad(productId: string) {
  const answers: Answer[] = [];
  const unpaid: Shopper[] = [];
  let running = true;
  let next = 0;
  const placer = async () => {
    while (running) {
      const n = next++;
      const shopper: Shopper = { userId: `outage-${n}`, quantity: 1 + (n % 3) };
      const answer = await send('place', shopper, productId);
      answers.push(answer);
      if (answer.status === 201)
        unpaid.push(Object.assign(shopper, { placedAt: answer.answeredAt }));
      await sleep(PAUSE_MS);
    }
  };
  const payer = async () => {
    while (running) {
      const due = Date.now() - (unpaid[0]?.placedAt ?? Date.now()) >= PAY_AFTER_MS;
      const shopper = due ? unpaid.shift() : undefined;
      if (shopper) answers.push(await send('pay', shopper, productId));
      await sleep(PAUSE_MS);
    }
  };
  const loops = [
    ...Array.from({ length: PLACERS }, placer),
    ...Array.from({ length: PAYERS }, payer),
  ];
  return {
    answers,
    async stop() {
      running = false;
      await Promise.all(loops);
    },
  };
}

const readiness = async () => {
  const res = await fetch(`http://127.0.0.1:${api.port}/readyz`).catch(() => undefined);
  return { status: res?.status ?? 0, body: await res?.json() };
};

const exited = () =>
  [api, ranking]
    .filter((p) => p.child.exitCode !== null || p.child.signalCode !== null)
    .map((p) => p.output().slice(-3_000));

const unpublished = async () =>
  Number(
    (await pool.query('SELECT COUNT(*) AS n FROM outbox_events WHERE published_at IS NULL'))[0].n,
  );

describe('order-api while its database is away', () => {
  it('when MariaDB stops for 20 s under a load of orders and payments, then refused requests are 503 with Retry-After and write nothing, the process and its relay survive, and every accepted payment is published once after it returns', async () => {
    const product = await call(
      api.port,
      'POST',
      '/products',
      { name: 'kettle', price: 2_000, stock: STOCK },
      { 'x-api-key': operatorKey },
    );
    const load = steadyLoad(product.body.id);
    await expect
      .poll(() => load.answers.filter((a) => a.step === 'pay' && a.status === 200).length, {
        timeout: 20_000,
        interval: 100,
      })
      .toBeGreaterThanOrEqual(20);

    await server.stop();
    const stoppedAt = Date.now();
    const duringOutage = await readiness();
    await sleep(Math.max(0, OUTAGE_MS - (Date.now() - stoppedAt)));
    // Still down after 20 s of refusals: neither order-api nor the ranking-worker has
    // exited, though order-api's relay has been failing its rounds all along.
    expect(exited()).toEqual([]);
    expect(api.output()).toContain('"outbox round failed"');
    const restartingAt = Date.now();
    await server.start();
    await expect
      .poll(async () => (await readiness()).status, { timeout: 30_000, interval: 200 })
      .toBe(200);
    const recoveredAt = Date.now();
    await sleep(2_000);
    await load.stop();
    const { answers } = load;

    expect(duringOutage).toMatchObject({
      status: 503,
      body: { checks: { database: 'down', redis: 'up', kafka: 'up' } },
    });
    // Every answer is a success or the dependency's 503, never a 500 or another 5xx.
    const show = (a: Answer) => `${a.step} ${a.shopper.userId}: ${a.status} ${a.code}`;
    expect(answers.filter((a) => ![200, 201, 503].includes(a.status)).map(show)).toEqual([]);
    const refused = answers.filter((a) => a.status === 503);
    expect(
      new Set(refused.map((a) => `${a.code}, Retry-After ${a.retryAfter ?? 'missing'}`)),
    ).toEqual(new Set(['DEPENDENCY_UNAVAILABLE, Retry-After 1']));
    expect(refused.filter((a) => a.sentAt > recoveredAt).map(show)).toEqual([]);

    // A request sent once the server was down and refused before it came back cannot have
    // written anything: every other one of those is never retried, and must have left no
    // trace. The rest (the ones in flight when it stopped, whose commit may have happened)
    // are retried with their key after the outage, and must take effect exactly once.
    const inTheDark = (a: Answer) => a.sentAt >= stoppedAt && a.answeredAt <= restartingAt;
    const leftAlone = new Set<Answer>();
    for (const step of ['place', 'pay'] as const) {
      const dark = refused.filter((a) => a.step === step && inTheDark(a));
      expect(dark.length, `${step} refusals during the outage`).toBeGreaterThanOrEqual(2);
      for (const [i, a] of dark.entries()) if (i % 2 === 0) leftAlone.add(a);
    }
    const retries: Answer[] = [];
    for (const a of refused.filter((r) => !leftAlone.has(r))) {
      if (a.step === 'place') retries.push(await send('place', a.shopper, product.body.id));
      if (a.shopper.order) retries.push(await send('pay', a.shopper, product.body.id));
    }
    expect(retries.filter((a) => a.status >= 300).map(show)).toEqual([]);

    const placedAlone = [...leftAlone].filter((a) => a.step === 'place').map((a) => a.shopper);
    const paidAlone = [...leftAlone].filter((a) => a.step === 'pay').map((a) => a.shopper);
    const [traces] = await pool.query(
      `SELECT (SELECT COUNT(*) FROM orders WHERE user_id IN (?)) AS orders,
              (SELECT COUNT(*) FROM idempotency_keys WHERE idempotency_key IN (?)) AS keys_,
              (SELECT COUNT(*) FROM payments WHERE order_id IN (?)) AS payments,
              (SELECT COUNT(*) FROM orders WHERE id IN (?) AND status <> 'PENDING') AS paid`,
      [
        placedAlone.map((s) => s.userId),
        [...placedAlone.map((s) => keyOf('place', s)), ...paidAlone.map((s) => keyOf('pay', s))],
        paidAlone.map((s) => s.order?.id),
        paidAlone.map((s) => s.order?.id),
      ],
    );
    expect(Object.values(traces).map(Number)).toEqual([0, 0, 0, 0]);

    // The database holds exactly the orders answered 201 and, as paid, exactly the orders
    // answered 200: one effect per accepted request, retried or not.
    const everything = [...answers, ...retries];
    const answeredIds = (status: number) =>
      [...new Set(everything.filter((a) => a.status === status).map((a) => a.shopper.order?.id))]
        .map(String)
        .sort();
    const ids = async (where: string) =>
      ((await pool.query(`SELECT id FROM orders ${where}`)) as { id: string }[])
        .map((row) => row.id)
        .sort();
    const paid = answeredIds(200);
    expect(await ids('')).toEqual(answeredIds(201));
    expect(await ids("WHERE status = 'COMPLETED'")).toEqual(paid);

    // The relay outlived the outage: it drains the outbox, and the ranking counts each paid
    // order once.
    await expect.poll(unpublished, { timeout: 30_000, interval: 200 }).toBe(0);
    await expect.poll(() => kafka.workerLag(), { timeout: 30_000, interval: 200 }).toBe(0);
    expect(await countedByRanking(ranking)).toBe(paid.length);
    const [sold] = await pool.query(
      `SELECT COALESCE(SUM(i.quantity), 0) AS units FROM orders o JOIN order_items i ON i.order_id = o.id
        WHERE o.status = 'COMPLETED'`,
    );
    const top = (await call(api.port, 'GET', '/products/rankings?days=1')).body.items;
    expect(top).toEqual([
      { rank: 1, productId: product.body.id, name: 'kettle', quantity: Number(sold.units) },
    ]);
    const [{ stock }] = await pool.query('SELECT stock FROM products WHERE id = ?', [
      product.body.id,
    ]);
    expect(Number(stock) + Number(sold.units)).toBe(STOCK);
    expect(exited()).toEqual([]);
  }, 120_000);
});
