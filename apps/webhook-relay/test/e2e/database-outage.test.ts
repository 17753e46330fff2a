import { setTimeout as sleep } from 'node:timers/promises';
import { type DedicatedDatabaseServer, startDedicatedDatabaseServer } from '@commerce/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { subscribe } from '../support/api.ts';
import { createHarness, type Harness } from '../support/harness.ts';
import { type Receiver, startReceiver } from '../support/receiver.ts';
import { startRelayProcess } from '../support/relay-process.ts';

const OUTAGE_MS = 20_000;
/** From MariaDB's return to every delivery recorded COMPLETED (paused partitions resume, claims resume). */
const DRAIN_BOUND_MS = 40_000;
/** Events before the outage: the slow receiver holds each POST of these, so some are in flight at the stop. */
const BEFORE = 64;
const SLOW_ANSWER_MS = 4_000;

let server: DedicatedDatabaseServer | undefined;
let harness: Harness | undefined;
const receivers: Receiver[] = [];
const processes: { kill(signal?: NodeJS.Signals): Promise<void> }[] = [];
afterEach(async () => {
  for (const p of processes.splice(0)) await p.kill('SIGKILL').catch(() => undefined);
  for (const r of receivers.splice(0)) await r.close();
  await server?.start(); // a no-op when running; close() drops the database there
  await harness?.close();
  await server?.destroy();
  harness = undefined;
  server = undefined;
});

/** The event id of each POST a receiver got (the webhook body's `id`). */
const eventIds = (receiver: Receiver) => receiver.received.map((r) => JSON.parse(r.body).id);

/*
 * What the relay promises when its database goes away: a POST goes out only for a delivery
 * the database holds (recorded by the consumer, whose offsets are committed only after, and
 * leased by a claim), so an event that arrives during the outage is not POSTed until it can
 * be recorded. POSTs already claimed still go out; their outcomes wait in memory and are
 * recorded when the database returns, within the claim's lease (REQUEST_TIMEOUT_MS + 30 s,
 * longer than this outage), so nobody claims them again: each event reaches each endpoint
 * once. (Were the process to die first, the lease would expire and the retry carry the same
 * webhook-id, which a receiver deduplicates.)
 */
describe('a relay whose database stops under load', () => {
  it('when MariaDB stops for 20 s while events keep arriving, then the relay stays up, commits no offset past what it recorded, POSTs no event it could not record, its API answers 503, and once MariaDB returns every event reaches each endpoint once, signed', async () => {
    server = await startDedicatedDatabaseServer();
    const h = await createHarness({}, { databaseServer: server });
    harness = h;
    const slow = await startReceiver((n) => ({
      status: 200,
      delayMs: n < BEFORE ? SLOW_ANSWER_MS : 0,
    }));
    const fast = await startReceiver(() => ({ status: 204 }));
    receivers.push(slow, fast);
    const relay = await startRelayProcess(h.env);
    processes.push(relay);
    const slowEndpoint = await subscribe(relay, slow);
    const fastEndpoint = await subscribe(relay, fast);

    const before = await h.publishPayments(BEFORE);
    await h.waitFor('the events recorded and POSTs in flight', 30_000, async () => {
      return (await h.lag()) === 0 && slow.received.length > 0;
    });
    // Every committed offset stands for recorded deliveries: from here on none may move.
    const recorded = await h.committed();

    await server.stop();
    const stoppedAt = Date.now();
    // Each waits for the pool's acquire timeout (10 s) before its answer.
    const calls = Promise.all([
      relay.api('GET', '/readyz', undefined, 30_000),
      relay.api('GET', '/webhooks/endpoints', undefined, 30_000),
      relay.api('GET', `/webhooks/deliveries?endpointId=${fastEndpoint.id}`, undefined, 30_000),
      relay.api(
        'POST',
        '/webhooks/endpoints',
        { url: fast.url, eventTypes: ['PaymentCompleted'], description: 'during the outage' },
        30_000,
      ),
    ]);
    // Events keep arriving, a wave every 2 s; the group's offsets are read after each.
    const during: Awaited<ReturnType<Harness['publishPayments']>> = [];
    const samples: { committed: Record<number, number>; lag: number; published: number }[] = [];
    const waves = 8;
    for (let wave = 0; wave < waves; wave++) {
      during.push(...(await h.publishPayments(20)));
      await sleep(Math.max(0, stoppedAt + ((wave + 1) * OUTAGE_MS) / (waves + 1) - Date.now()));
      samples.push({
        committed: await h.committed(),
        lag: await h.lag(),
        published: during.length,
      });
    }
    const answers = await calls;
    await sleep(Math.max(0, OUTAGE_MS - (Date.now() - stoppedAt)));
    // Still down: the relay must be alive, waiting, with nothing committed in the dark.
    expect(relay.child.exitCode, relay.output().slice(-4_000)).toBeNull();
    const restartingAt = Date.now();
    await server.start();
    const after = await h.publishPayments(40);
    const total = before.length + during.length + after.length;
    await h.waitFor('every delivery COMPLETED', DRAIN_BOUND_MS, async () => {
      const [row] = await h.query<{ n: number }>(
        "SELECT COUNT(*) AS n FROM deliveries WHERE status = 'COMPLETED'",
      );
      return Number(row?.n) === 2 * total;
    });
    // Give a duplicate the time to show up before counting.
    await sleep(1_000);

    // The API: a dependency away, 503 DEPENDENCY_UNAVAILABLE, not a 500; nothing written.
    const [readiness, ...apiAnswers] = answers;
    expect(readiness?.status).toBe(503);
    expect(readiness?.body).toMatchObject({ checks: { database: 'down' } });
    for (const answer of apiAnswers) {
      expect(answer.status, answer.text).toBe(503);
      expect(answer.body).toMatchObject({ error: { code: 'DEPENDENCY_UNAVAILABLE' } });
    }
    const endpoints = await relay.api('GET', '/webhooks/endpoints');
    expect(endpoints.body.items.map((e: { id: string }) => e.id).sort()).toEqual(
      [slowEndpoint.id, fastEndpoint.id].sort(),
    );
    // The consumer: not one offset moved during the outage; every event published in it waited.
    for (const sample of samples) {
      expect(sample.committed).toEqual(recorded);
      expect(sample.lag).toBe(sample.published);
    }
    expect(await h.lag()).toBe(0);
    // No POST of an event that arrived during the outage before the database returned...
    const arrivedInOutage = new Set(during.map((e) => e.eventId));
    for (const receiver of [slow, fast])
      expect(
        receiver.received.filter(
          (r) => r.at < restartingAt && arrivedInOutage.has(JSON.parse(r.body).id),
        ),
      ).toEqual([]);
    // ...while POSTs claimed before it went on, to be recorded after it (the slow ones).
    expect(
      slow.received.filter((r) => r.at > stoppedAt && r.at < restartingAt).length,
    ).toBeGreaterThan(0);
    // Each event reached each endpoint once (not even a redelivery by webhook-id), signed.
    const published = [...before, ...during, ...after].map((e) => e.eventId).sort();
    for (const [receiver, endpoint] of [
      [slow, slowEndpoint],
      [fast, fastEndpoint],
    ] as const) {
      expect(receiver.received).toHaveLength(total);
      expect(receiver.uniqueIds()).toHaveLength(total);
      expect(eventIds(receiver).sort()).toEqual(published);
      expect(receiver.received.filter((r) => !receiver.verifies(r, endpoint.secret))).toEqual([]);
    }
    // And each POST recorded once: one attempt per delivery, all COMPLETED at the first.
    const recordedAttempts = await h.query<{ status: string; attempts: number; logged: number }>(
      `SELECT d.status, d.attempts, (SELECT COUNT(*) FROM attempts a WHERE a.delivery_id = d.id) AS logged
         FROM deliveries d`,
    );
    expect(recordedAttempts).toHaveLength(2 * total);
    expect(
      recordedAttempts.filter(
        (d) => d.status !== 'COMPLETED' || d.attempts !== 1 || Number(d.logged) !== 1,
      ),
    ).toEqual([]);
    const log = relay.output();
    expect(log).not.toContain('consumer stopped');
    expect(relay.child.exitCode).toBeNull();
    await relay.kill('SIGTERM');
  }, 100_000);
});
