#!/usr/bin/env node
// webhook-relay benchmarks, in one run:
//   throughput   deliveries/s of the relay (claims, signed POSTs, batched outcome flushes,
//                all through the real database) to a fast receiver in its own process, and
//                of a plain undici loop POSTing the same signed payloads to the same
//                receiver with the same concurrency. Rounds interleave the two sides; the
//                ratio is the median of the per-round ratios (target >= 0.5).
//   punctuality  1,000 deliveries whose first POST fails (schedule 1 s): how late each
//                retry started after its due time, p50 and p99 (target p99 <= 250 ms).
// The relay's deliveries are recorded up front (the consumer's fan-out), so throughput
// times the delivery path alone, from the scheduler's start to the last recorded outcome.
//   pnpm --filter @commerce/webhook-relay bench [deliveries] [rounds] [concurrency]   default 3000 3 32
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import {
  atLeast,
  atMost,
  cpuMs,
  inParallel,
  median,
  percentile,
  stackLogDir,
  waitFor,
  writeBenchResults,
} from '@commerce/testing';
import { Agent, request } from 'undici';
import { readConfig } from '../src/config.ts';
import { createDeps } from '../src/deps.ts';
import { signedHeaders } from '../src/dispatch/signer.ts';
import { newSigningSecret } from '../src/domain/secrets.ts';
import { createHarness, logger } from '../test/support/harness.ts';
import { events, startReceiver } from './fixtures.ts';

const total = Number(process.argv[2] ?? 3_000);
const rounds = Number(process.argv[3] ?? 3);
const concurrency = Number(process.argv[4] ?? 32);
const h = await createHarness({ LOG_LEVEL: 'silent' });
// CPU per delivery holds up better than throughput on a shared machine: this process's,
// and the database server's (the relay's extra cost), read from /proc.
const mariadbPid = Number(readFileSync(join(stackLogDir(), '..', 'run', 'mariadb.pid'), 'utf8'));
const cpu = () => ({ node: cpuMs(process.pid), db: cpuMs(mariadbPid) });
const perDelivery = (before: ReturnType<typeof cpu>, n: number) => {
  const after = cpu();
  return { node: (after.node - before.node) / n, db: (after.db - before.db) / n };
};
const cpuRelay: { node: number; db: number }[] = [];
const cpuLoop: { node: number; db: number }[] = [];

/** A relay (scheduler + stores, no consumer) with one endpoint at `url`; `deliver(n)` times n deliveries. */
async function relayFor(url: string, extra: Record<string, string> = {}) {
  const config = readConfig({
    ...h.env,
    ENDPOINT_CONCURRENCY: String(concurrency),
    ...extra,
  });
  const deps = await createDeps(config, logger);
  const endpoint = await deps.endpoints.create({
    id: randomUUID(),
    url,
    description: null,
    eventTypes: ['PaymentCompleted'],
    rateLimitPerSecond: null,
    ordered: false,
    secret: newSigningSecret(),
  });
  const unfinished = async () => {
    const [row] = await h.query<{ n: number }>(
      "SELECT COUNT(*) AS n FROM deliveries WHERE endpoint_id = ? AND status IN ('PUBLISHED', 'IN_PROGRESS', 'FAILED')",
      [endpoint.id],
    );
    return Number(row?.n ?? 0);
  };
  const count = async (status: string) => {
    const [row] = await h.query<{ n: number }>(
      'SELECT COUNT(*) AS n FROM deliveries WHERE endpoint_id = ? AND status = ?',
      [endpoint.id, status],
    );
    return Number(row?.n ?? 0);
  };
  return {
    deps,
    endpoint,
    count,
    unfinished,
    async deliver(n: number): Promise<number> {
      for (let i = 0; i < n; i += 500)
        await deps.dispatch.recordEvents(events(Math.min(500, n - i)), new Date());
      const started = performance.now();
      deps.scheduler.start();
      // Counts what is left (a shrinking index range), so the poll costs the database little.
      await waitFor('relay deliveries', 300_000, async () => (await unfinished()) === 0, 50);
      const seconds = (performance.now() - started) / 1_000;
      await deps.scheduler.stop();
      return n / seconds;
    },
    async close() {
      await deps.endpoints.delete(endpoint.id);
      await deps.close();
    },
  };
}

/** The plain loop: undici with keep-alive, the same signed bodies, `concurrency` in flight. */
async function plainLoop(url: string, n: number): Promise<number> {
  const agent = new Agent({ connections: concurrency, keepAliveTimeout: 30_000 });
  const secrets = {
    secret: newSigningSecret(),
    previousSecret: null,
    previousSecretExpiresAt: null,
  };
  const bodies = events(n);
  const started = performance.now();
  await inParallel(
    bodies.map((event) => async () => {
      const response = await request(url, {
        method: 'POST',
        dispatcher: agent,
        body: event.body,
        headers: {
          'content-type': 'application/json',
          ...signedHeaders(randomUUID(), event.body, secrets, new Date()),
        },
      });
      await response.body.dump();
      if (response.statusCode >= 300) throw new Error(`receiver answered ${response.statusCode}`);
    }),
    concurrency,
  );
  const rate = n / ((performance.now() - started) / 1_000);
  await agent.close();
  return rate;
}

const fast = await startReceiver('ok');
const relay = await relayFor(fast.url);
const relayRates: number[] = [];
const loopRates: number[] = [];
const ratios: number[] = [];
await plainLoop(fast.url, 500); // warm-up: connections, JIT
for (let round = 0; round < rounds; round += 1) {
  let before = cpu();
  const loop = await plainLoop(fast.url, total);
  cpuLoop.push(perDelivery(before, total));
  before = cpu();
  const relayed = await relay.deliver(total);
  cpuRelay.push(perDelivery(before, total));
  loopRates.push(loop);
  relayRates.push(relayed);
  ratios.push(relayed / loop);
  console.log(
    `round ${round + 1}: plain undici ${loop.toFixed(0)}/s, relay ${relayed.toFixed(0)}/s, ratio ${(relayed / loop).toFixed(2)} (load ${loadavg()[0]?.toFixed(2)})`,
  );
}
await relay.close();
fast.child.kill();

const flaky = await startReceiver('fail-once');
const punctual = await relayFor(flaky.url, { RETRY_SCHEDULE: '1s', RETRY_JITTER: '0.1' });
const PUNCTUALITY_DELIVERIES = 1_000;
await punctual.deps.dispatch.recordEvents(events(PUNCTUALITY_DELIVERIES), new Date());
punctual.deps.scheduler.start();
await waitFor(
  '1,000 retried deliveries',
  120_000,
  async () => (await punctual.unfinished()) === 0,
  100,
);
if ((await punctual.count('COMPLETED')) !== PUNCTUALITY_DELIVERIES)
  throw new Error('not every retried delivery completed');
await punctual.deps.scheduler.stop();
const late = (
  await h.query<{ late: number }>(
    'SELECT TIMESTAMPDIFF(MICROSECOND, due_at, started_at) / 1000 AS late FROM attempts WHERE endpoint_id = ? AND attempt_no = 2',
    [punctual.endpoint.id],
  )
).map((row) => Number(row.late));
await punctual.close();
flaky.child.kill();
await h.close();

writeBenchResults([
  {
    component: 'webhook-relay',
    metric: `deliveries, ${total} × ${rounds} rounds, ${concurrency} in flight`,
    kind: 'throughput',
    unit: 'deliveries/s',
    value: median(relayRates),
    anchor: { name: 'plain undici loop', value: median(loopRates) },
    ratio: median(ratios),
    target: atLeast(0.5),
  },
  {
    component: 'webhook-relay',
    metric: `retry lateness p99, ${late.length} retries`,
    kind: 'latency',
    unit: 'ms',
    value: percentile(late, 99),
    target: atMost(250),
  },
  {
    component: 'webhook-relay',
    metric: `retry lateness p50, ${late.length} retries`,
    kind: 'latency',
    unit: 'ms',
    value: percentile(late, 50),
  },
]);
console.log(
  JSON.stringify(
    {
      deliveries: total,
      rounds,
      concurrency,
      plainUndiciPerSecond: Math.round(median(loopRates)),
      relayPerSecond: Math.round(median(relayRates)),
      ratio: Number(median(ratios).toFixed(2)),
      cpuMsPerDelivery: {
        plainUndiciNode: Number(median(cpuLoop.map((c) => c.node)).toFixed(3)),
        relayNode: Number(median(cpuRelay.map((c) => c.node)).toFixed(3)),
        relayDatabase: Number(median(cpuRelay.map((c) => c.db)).toFixed(3)),
      },
      retries: late.length,
      retryLatenessP50Ms: Math.round(percentile(late, 50)),
      retryLatenessP99Ms: Math.round(percentile(late, 99)),
      retryLatenessMaxMs: Math.round(percentile(late, 100)),
      loadAverage1m: Number(loadavg()[0]?.toFixed(2)),
    },
    null,
    2,
  ),
);
