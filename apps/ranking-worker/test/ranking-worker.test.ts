import { anEvent } from '@commerce/events/testing';
import type { ConsumerRunner } from '@commerce/kafka';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsumer } from '../src/consumer.ts';
import { createDeps, type Deps } from '../src/deps.ts';
import { collect, createWorkerHarness, logger, type WorkerHarness } from './support/harness.ts';

let h: WorkerHarness;
const workers: { runner: ConsumerRunner; deps: Deps }[] = [];

beforeAll(async () => {
  h = await createWorkerHarness();
});
afterAll(async () => {
  for (const { runner, deps } of workers) {
    await runner.stop().catch(() => undefined);
    await deps.close();
  }
  await h?.close();
});

/** A worker as a fresh process would build it: its own clients and metrics. */
async function aWorker() {
  const deps = await createDeps(h.config, logger);
  const runner = createConsumer(deps, (err) => logger.error({ err }, 'fatal'));
  workers.push({ runner, deps });
  const outcomes = async () => {
    const metric = await deps.metrics.getSingleMetric('ranking_events_total')?.get();
    const value = (name: string) =>
      metric?.values.find((v) => v.labels.outcome === name)?.value ?? 0;
    return { counted: value('counted'), duplicate: value('duplicate') };
  };
  return { runner, outcomes };
}

// Completed 10 minutes ago, in Seoul's day of now: inside every window.
const recently = () => Date.now() - 10 * 60_000;
const seoulDay = (at: number) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Seoul' }).format(at);

describe('ranking-worker on order-completed', () => {
  it('when the same OrderCompleted arrives several times, and then the group is replayed from the start, then the ranking equals one delivery of each', async () => {
    const completedAt = recently();
    const day = seoulDay(completedAt);
    const orders = Array.from({ length: 6 }, (_, i) =>
      anEvent('OrderCompleted', {
        userId: `user-${i % 3}`,
        completedAt,
        items: [
          { productId: 'product-a', quantity: i + 1, unitPrice: 100 },
          { productId: `product-${i % 2 ? 'b' : 'c'}`, quantity: 2, unitPrice: 100 },
        ],
      }),
    );
    const expected = { 'product-a': 21, 'product-b': 6, 'product-c': 6 };
    // Two of them twice more: a producer retry or a relay resend after a crash looks like this.
    const deliveries = [...orders, orders[0], orders[3], orders[0]] as typeof orders;

    const first = await aWorker();
    const processed = collect(first.runner, 'processed', deliveries.length);
    await first.runner.start();
    await h.publish(deliveries);
    await processed;

    expect(await h.day(day)).toEqual(expected);
    expect(await first.outcomes()).toEqual({ counted: 6, duplicate: 3 });
    await expect.poll(() => h.lag(), { timeout: 10_000 }).toBe(0);

    // Replay: stop the group, move its offsets back to the beginning, run the worker again.
    await first.runner.stop();
    await h.admin.resetOffsets({ groupId: h.groupId, topic: h.topic, earliest: true });
    expect(await h.lag()).toBe(deliveries.length);
    const second = await aWorker();
    const replayed = collect(second.runner, 'processed', deliveries.length);
    await second.runner.start();
    await replayed;

    expect(await h.day(day)).toEqual(expected);
    expect(await second.outcomes()).toEqual({ counted: 0, duplicate: deliveries.length });
    await expect.poll(() => h.lag(), { timeout: 10_000 }).toBe(0);
  });
});
