import { once } from 'node:events';
import { join } from 'node:path';
import { shutdownGraceMs } from '@commerce/service';
import { type ServiceProcess, signalMidBatch, startServiceProcess } from '@commerce/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { mixedEvents } from '../support/events.ts';
import { expectedAggregates } from '../support/expected.ts';
import { createHarness, type Harness } from '../support/harness.ts';

const entry = join(import.meta.dirname, '..', '..', 'src', 'main.ts');
let h: Harness | undefined;
const processes: ServiceProcess[] = [];
afterEach(async () => {
  for (const p of processes.splice(0)) await p.kill('SIGKILL');
  await h?.close();
  h = undefined;
});

function startWorker(name: string, extra: Record<string, string> = {}) {
  if (!h) throw new Error('no harness');
  const started = startServiceProcess({
    name,
    entry,
    env: { ...h.env, LOG_LEVEL: 'info', ...extra },
    readyMessage: 'analytics-worker started',
  });
  return started.then((p) => {
    processes.push(p);
    return p;
  });
}

/** Events counted so far, whatever their topic. */
async function processedEvents(harness: Harness): Promise<number> {
  const [row] = await harness.pool.query(
    `SELECT (SELECT COUNT(DISTINCT event_id) FROM order_line_facts)
       + (SELECT COUNT(*) FROM stock_change_facts) + (SELECT COUNT(*) FROM coupon_result_facts) AS n`,
  );
  return Number(row.n);
}

describe('analytics-worker processes: crashes and rebalances', () => {
  it('when the worker is SIGKILLed mid-flush and restarted, then the aggregates equal those computed from the events', async () => {
    h = await createHarness();
    const events = mixedEvents(1_200, 3);
    await h.publish(events);
    const crashing = await startWorker('analytics-crashing', {
      FAULT_HOLD_FLUSH_MS: '400',
      BATCH_MAX_RECORDS: '50',
    });
    await expect.poll(() => processedEvents(h as Harness), { timeout: 30_000 }).toBeGreaterThan(0);
    await expect
      .poll(() => (h as Harness).openTransactions(), { timeout: 10_000 })
      .toBeGreaterThan(0);
    await crashing.kill('SIGKILL');
    const before = await processedEvents(h);
    expect(before).toBeLessThan(events.length);

    await startWorker('analytics-restarted');
    await expect.poll(() => h?.lag(), { timeout: 60_000, interval: 300 }).toBe(0);
    expect(await h.aggregates()).toEqual(expectedAggregates(events));
  });

  it('when the worker dies after a flush committed but before its offsets did, then the redelivered batch counts once', async () => {
    h = await createHarness();
    const events = mixedEvents(600, 4);
    const dying = await startWorker('analytics-dying', { FAULT_EXIT_AFTER_FLUSH_COMMIT: 'true' });
    const exited = once(dying.child, 'exit');
    await h.publish(events);
    expect((await exited)[0]).toBe(137);
    expect(await processedEvents(h)).toBeGreaterThan(0);
    expect(await h.lag()).toBe(events.length);

    await startWorker('analytics-after-exit');
    await expect.poll(() => h?.lag(), { timeout: 60_000, interval: 300 }).toBe(0);
    expect(await h.aggregates()).toEqual(expectedAggregates(events));
  });

  it('when a second worker joins and the first gets SIGTERM mid-flush while events flow, then it exits within its grace period and the aggregates equal those computed from the events', async () => {
    h = await createHarness({ BATCH_MAX_RECORDS: '100' });
    const events = mixedEvents(1_500, 5);
    const thirds = [events.slice(0, 500), events.slice(500, 1_000), events.slice(1_000)];
    await h.publish(thirds[0] ?? []);
    // The first worker's flushes are held open, so its SIGTERM lands mid-flush.
    const first = await startWorker('analytics-a', { FAULT_HOLD_FLUSH_MS: '200' });
    await expect.poll(() => processedEvents(h as Harness), { timeout: 30_000 }).toBeGreaterThan(0);
    await startWorker('analytics-b');
    await h.publish(thirds[1] ?? []);
    await expect
      .poll(async () => (await h?.admin.describeGroups([h.groupId]))?.groups[0]?.members.length, {
        timeout: 30_000,
      })
      .toBe(2);
    await h.publish(thirds[2] ?? []);
    const exit = await signalMidBatch(first, 'SIGTERM', async () => {
      return (await (h as Harness).openTransactions()) > 0;
    });
    // Exit 0: the stop finished its flush and commit by itself (the grace timer exits 1).
    expect(exit.code, first.output().slice(-4_000)).toBe(0);
    expect(exit.exitMs).toBeLessThan(shutdownGraceMs);

    await expect.poll(() => h?.lag(), { timeout: 60_000, interval: 300 }).toBe(0);
    expect(await h.aggregates()).toEqual(expectedAggregates(events));
  });
});
