import { join } from 'node:path';
import { anEvent } from '@commerce/events/testing';
import { shutdownGraceMs } from '@commerce/service';
import {
  type DedicatedBroker,
  type ServiceProcess,
  signalMidBatch,
  startDedicatedBroker,
  startServiceProcess,
  waitFor,
} from '@commerce/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createWorkerHarness, type WorkerHarness } from '../support/harness.ts';

const entry = join(import.meta.dirname, '..', '..', 'src', 'main.ts');
let h: WorkerHarness | undefined;
const processes: ServiceProcess[] = [];
afterEach(async () => {
  for (const p of processes.splice(0)) await p.kill('SIGKILL');
  await h?.close();
  h = undefined;
});

async function startWorker(
  harness: WorkerHarness,
  name: string,
  extra: Record<string, string> = {},
) {
  const p = await startServiceProcess({
    name,
    entry,
    // A killed member's partitions move to the restarted one after 6 s instead of 30.
    env: { ...harness.env, LOG_LEVEL: 'info', CONSUMER_SESSION_TIMEOUT_MS: '6000', ...extra },
    readyMessage: 'ranking-worker started',
  });
  processes.push(p);
  return p;
}

// 90 paid orders from 9 shoppers (so on every partition), completed 10 minutes ago.
const completedAt = Date.now() - 10 * 60_000;
const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Seoul' }).format(completedAt);
function paidOrders() {
  return Array.from({ length: 90 }, (_, i) =>
    anEvent('OrderCompleted', {
      userId: `user-${i % 9}`,
      completedAt,
      items: [
        { productId: 'product-a', quantity: (i % 4) + 1, unitPrice: 100 },
        { productId: `product-${i % 3 ? 'b' : 'c'}`, quantity: 1, unitPrice: 100 },
      ],
    }),
  );
}
/** The ranking the orders make when each counts exactly once. */
function sumOf(orders: ReturnType<typeof paidOrders>): Record<string, number> {
  const scores: Record<string, number> = {};
  for (const line of orders.flatMap((o) => o.items))
    scores[line.productId] = (scores[line.productId] ?? 0) + line.quantity;
  return scores;
}

/** Orders counted in Redis so far: their dedupe marks. */
async function counted(harness: WorkerHarness): Promise<number> {
  let cursor = '0';
  let n = 0;
  do {
    const [next, keys] = await harness.redis.scan(
      cursor,
      'MATCH',
      `${harness.config.RANKING_KEY_PREFIX}seen:*`,
      'COUNT',
      500,
    );
    n += keys.length;
    cursor = next;
  } while (cursor !== '0');
  return n;
}

// FAULT_HOLD_COUNT_MS holds each order after Redis counted it and before its offset can be
// committed: the signal lands mid-batch, with orders counted and not committed.
const hold = { FAULT_HOLD_COUNT_MS: '100' };

describe('ranking-worker processes: a signal mid-batch', () => {
  it('when the worker is SIGKILLed mid-batch and restarted, then the ranking equals the sum of the paid orders sent', async () => {
    const harness = await createWorkerHarness();
    h = harness;
    const orders = paidOrders();
    await harness.publish(orders);
    const crashing = await startWorker(harness, 'ranking-crashing', hold);
    const exit = await signalMidBatch(
      crashing,
      'SIGKILL',
      async () => (await counted(harness)) >= 10,
    );
    expect(exit.signal).toBe('SIGKILL');
    const countedAtKill = await counted(harness);
    const committedAtKill = orders.length - (await harness.lag());
    // Mid-batch: some orders counted, not all; some counted ones not committed, so the
    // restart gets them again (a doubled count would show), and committing before counting
    // would leave committed orders uncounted (a lost one would show).
    expect(countedAtKill).toBeLessThan(orders.length);
    expect(committedAtKill).toBeLessThan(countedAtKill);

    await startWorker(harness, 'ranking-restarted');
    await expect.poll(() => harness.lag(), { timeout: 30_000, interval: 200 }).toBe(0);
    expect(await harness.day(day)).toEqual(sumOf(orders));
    expect(await counted(harness)).toBe(orders.length);
  }, 90_000);

  it('when the worker gets SIGTERM mid-batch, then it exits within its grace period having committed exactly the orders it counted, and after a restart the ranking equals the sum of the paid orders sent', async () => {
    const harness = await createWorkerHarness();
    h = harness;
    const orders = paidOrders();
    await harness.publish(orders);
    const stopping = await startWorker(harness, 'ranking-stopping', hold);
    const exit = await signalMidBatch(
      stopping,
      'SIGTERM',
      async () => (await counted(harness)) >= 10,
    );
    // Exit 0: the stop finished by itself (the grace timer exits 1).
    expect(exit.code, stopping.output().slice(-4_000)).toBe(0);
    expect(exit.exitMs).toBeLessThan(shutdownGraceMs);
    const countedAtStop = await counted(harness);
    expect(countedAtStop).toBeLessThan(orders.length);
    // Only finished work committed, and all of it: the in-flight order finished first.
    expect(orders.length - (await harness.lag())).toBe(countedAtStop);

    await startWorker(harness, 'ranking-restarted');
    await expect.poll(() => harness.lag(), { timeout: 30_000, interval: 200 }).toBe(0);
    expect(await harness.day(day)).toEqual(sumOf(orders));
    expect(await counted(harness)).toBe(orders.length);
  }, 90_000);
});

describe('ranking-worker process: its only broker stops answering', () => {
  let broker: DedicatedBroker | undefined;
  // Before the file's afterEach would: the harness is closed while its broker still runs.
  afterEach(async () => {
    await broker?.thaw();
    for (const p of processes.splice(0)) await p.kill('SIGKILL');
    await h?.close();
    h = undefined;
    await broker?.destroy();
    broker = undefined;
  });

  // A frozen broker (SIGSTOP) keeps its sockets open and answers nothing: what kafkajs sees
  // behind a network black hole, and where it can wait for ever. The stall bound is cut from
  // its default (2 min) so the test is short.
  const stallMs = 8_000;

  it('when the broker freezes mid-batch for longer than the stall bound, then the worker notices the silence and exits with the batch uncommitted, and once the broker answers a restarted worker counts every order once', async () => {
    broker = await startDedicatedBroker();
    const harness = await createWorkerHarness({ KAFKA_BROKERS: broker.brokers.join(',') });
    h = harness;
    const orders = paidOrders();
    await harness.publish(orders);
    const frozenOut = await startWorker(harness, 'ranking-frozen-out', {
      ...hold,
      CONSUMER_STALL_TIMEOUT_MS: String(stallMs),
    });
    await waitFor('some orders counted', 30_000, async () => (await counted(harness)) >= 10, 20);

    await broker.freeze();
    const frozenAt = performance.now();
    await waitFor(
      'the frozen-out worker to exit',
      stallMs + shutdownGraceMs + 15_000,
      async () => frozenOut.child.exitCode !== null,
      100,
    ).catch((err) => {
      throw new Error(`${err.message}:\n${frozenOut.output().slice(-6_000)}`);
    });
    const exitMs = performance.now() - frozenAt;
    expect(frozenOut.output()).toContain('the consumer made no progress');
    // Noticed after the bound, not before; then the stop itself is bounded by the grace.
    expect(exitMs).toBeGreaterThan(stallMs);
    expect(exitMs).toBeLessThan(stallMs + shutdownGraceMs + 10_000);

    await broker.thaw();
    // It left work uncommitted, and committed nothing it had not counted.
    const countedAtExit = await counted(harness);
    const uncommitted = await harness.lag();
    expect(uncommitted).toBeGreaterThan(0);
    expect(orders.length - uncommitted).toBeLessThanOrEqual(countedAtExit);

    await startWorker(harness, 'ranking-after-thaw');
    await expect.poll(() => harness.lag(), { timeout: 60_000, interval: 200 }).toBe(0);
    expect(await harness.day(day)).toEqual(sumOf(orders));
    expect(await counted(harness)).toBe(orders.length);
  }, 150_000);
});
