import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  type DedicatedDatabaseServer,
  freePort,
  type ServiceProcess,
  startDedicatedDatabaseServer,
  startServiceProcess,
  waitFor,
} from '@commerce/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { anOrder, mixedEvents, seoulMidnight } from '../support/events.ts';
import { expectedAggregates } from '../support/expected.ts';
import { createHarness, type Harness, operatorHeaders } from '../support/harness.ts';

const entry = join(import.meta.dirname, '..', '..', 'src', 'main.ts');
const OUTAGE_MS = 20_000;
/** From MariaDB's return to lag 0: paused partitions resume within their backoff, then flush. */
const DRAIN_BOUND_MS = 40_000;
let server: DedicatedDatabaseServer | undefined;
let h: Harness | undefined;
let worker: ServiceProcess | undefined;
afterEach(async () => {
  await worker?.kill('SIGKILL');
  await server?.start(); // a no-op when running; close() drops the database there
  await h?.close();
  await server?.destroy();
  worker = undefined;
  h = undefined;
  server = undefined;
});

describe('analytics-worker process: its database stops under load', () => {
  it('when MariaDB stops for 20 s mid-flush while events keep arriving, then the worker stays up, commits no offset past what it stored, its read API answers 503, and once MariaDB returns it drains and the aggregates equal those computed from the events', async () => {
    server = await startDedicatedDatabaseServer();
    // Each flush holds its transaction open 3 s, so the stop lands inside one.
    const running = await createHarness(
      { FAULT_HOLD_FLUSH_MS: '3000' },
      { databaseServer: server },
    );
    h = running;
    const events = mixedEvents(1_600, 6);
    const before = events.slice(0, 500);
    const during = events.slice(500, 1_300);
    const after = events.slice(1_300);
    // One buyer's orders: one partition, whose flush is open when the database stops.
    const interrupted = Array.from({ length: 5 }, (_, i) =>
      anOrder(seoulMidnight + i * 60_000, 'buyer-interrupted', [['product-1', 1 + i, 100]]),
    );
    await running.publish(before);
    const port = await freePort();
    worker = await startServiceProcess({
      name: 'analytics-worker',
      entry,
      env: { ...running.env, LOG_LEVEL: 'info', PORT: String(port) },
      readyMessage: 'analytics-worker started',
    });
    await expect.poll(() => running.lag(), { timeout: 45_000, interval: 300 }).toBe(0);
    await running.publish(interrupted);
    await waitFor(
      'the flush of the interrupted partition open',
      10_000,
      async () => (await running.openTransactions()) > 0,
      150,
    );
    // Everything committed is stored, and the only flush left cannot commit before the stop:
    // from here on no offset may move while the database is away.
    const stored = await running.committed();

    await server.stop();
    const stoppedAt = Date.now();
    // Answered after the pool's acquire timeout (10 s): started now, read after the outage.
    const report = fetch(`http://127.0.0.1:${port}/analytics/coupons`, {
      headers: operatorHeaders,
      signal: AbortSignal.timeout(30_000),
    }).then(async (response) => ({ status: response.status, body: await response.json() }));
    // Events keep arriving, a wave every 2 s; the group's offsets are read after each.
    const samples: { committed: Record<string, number>; lag: number; waiting: number }[] = [];
    const waves = 8;
    const waveSize = during.length / waves;
    for (let wave = 0; wave < waves; wave++) {
      await running.publish(during.slice(wave * waveSize, (wave + 1) * waveSize));
      await sleep(Math.max(0, stoppedAt + ((wave + 1) * OUTAGE_MS) / (waves + 1) - Date.now()));
      samples.push({
        committed: await running.committed(),
        lag: await running.lag(),
        waiting: interrupted.length + (wave + 1) * waveSize,
      });
    }
    const answer = await report;
    await sleep(Math.max(0, OUTAGE_MS - (Date.now() - stoppedAt)));
    // Still down: the worker must be alive, waiting, with nothing committed in the dark.
    expect(worker.child.exitCode, worker.output().slice(-4_000)).toBeNull();
    await server.start();
    await running.publish(after);
    await expect.poll(() => running.lag(), { timeout: DRAIN_BOUND_MS, interval: 300 }).toBe(0);

    expect(answer.status).toBe(503);
    expect(answer.body).toMatchObject({ error: { code: 'DEPENDENCY_UNAVAILABLE' } });
    // Not one offset moved during the outage: the interrupted flush and every event published
    // in it were waiting.
    for (const sample of samples) {
      expect(sample.committed).toEqual(stored);
      expect(sample.lag).toBe(sample.waiting);
    }
    // The outage (the open flush cut off, then no connection) was met as a transient failure,
    // retried in place, never as a reason to stop.
    const log = worker.output();
    expect(log).toContain('transient failure of a batch, retrying');
    expect(log).not.toContain('consumer stopped');
    expect(worker.child.exitCode).toBeNull();
    expect(await running.aggregates()).toEqual(expectedAggregates([...events, ...interrupted]));
  }, 100_000);
});
