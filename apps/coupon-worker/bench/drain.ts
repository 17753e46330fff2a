// Rush drain: how fast one coupon-worker process decides a backlog of admitted requests,
// one at a time (BATCH_MAX_RECORDS=1) and in batches (the default), with 1 and 3 partitions
// of coupon-requests handled at once, interleaved on one system (coupon-api and a Kafka
// broker of its own, a fresh database). Each run: a coupon of N, N distinct users admitted
// through the API while no worker runs, the outbox drained onto coupon-requests, then a
// worker started. A batch's decisions share its completed_at (the batch's start), so the
// rate is N over the span from the first batch's start to the poll (every 50 ms) that finds
// nothing PENDING; process start and group join are left out (printed apart).
// Usage (stack up):
//   pnpm --filter @commerce/coupon-worker bench          BENCH_DRAIN_REQUESTS (default 4000)
import { loadavg } from 'node:os';
import {
  atLeast,
  cpuMs,
  deleteKeys,
  inParallel,
  median,
  stackAddresses,
  waitFor,
  writeBenchResults,
} from '@commerce/testing';
import { Redis } from 'ioredis';
import { startDrainSystem } from './system.ts';

const REQUESTS = Number(process.env.BENCH_DRAIN_REQUESTS ?? 4_000);
interface Mode {
  name: string;
  concurrency: number;
  batch: number;
  requests: number;
}
// One at a time gets a quarter of the requests: its rate does not depend on the backlog's
// size, and the full backlog would take minutes per run.
const single: Mode = { name: 'one at a time', concurrency: 1, batch: 1, requests: REQUESTS / 4 };
const batched1: Mode = {
  name: 'batched, 1 partition',
  concurrency: 1,
  batch: 1_000,
  requests: REQUESTS,
};
const batched3: Mode = {
  name: 'batched, 3 partitions',
  concurrency: 3,
  batch: 1_000,
  requests: REQUESTS,
};
const PLAN = [single, batched1, batched3, single, batched1, batched3, single, batched1, batched3];
const DEADLINE_MS = 20 * 60_000;

const system = await startDrainSystem();
const redis = new Redis(stackAddresses().redisUrl);
const coupons: string[] = [];

async function cleanUp() {
  await system.close(); // processes, the broker, the database
  for (const id of coupons) await deleteKeys(redis, `{coupon:${id}}:`);
  await redis.quit();
}
const deadline = setTimeout(() => {
  console.error(`drain benchmark still running after ${DEADLINE_MS / 1000}s: giving up`);
  void cleanUp().finally(() => process.exit(1));
}, DEADLINE_MS);

const count = async (sql: string, ...values: unknown[]) => {
  const [row] = await system.prisma.$queryRawUnsafe<{ n: bigint }[]>(sql, ...values);
  return Number(row?.n ?? 0);
};
const outboxEmpty = () =>
  waitFor(
    'outbox drained',
    120_000,
    async () =>
      (await count('SELECT COUNT(*) AS n FROM outbox_events WHERE published_at IS NULL')) === 0,
  );

interface Drain {
  perSec: number;
  /** Distinct decision times: transactions, for batches (concurrent ones may share one). */
  batches: number;
  wallSec: number;
  cpuMsPerRequest: number;
  /** The worker's CPU over the drain, in cores. */
  busy: number;
  /** Time spent waiting for InnoDB row locks (server-wide counter), per request. */
  lockMsPerRequest: number;
}

// Server-wide, so other databases' waits count too; the coupon row is where ours queue.
const rowLockMs = async () => {
  const [row] = await system.prisma.$queryRaw<{ Value: string }[]>`
    SHOW GLOBAL STATUS LIKE 'Innodb_row_lock_time'`;
  return Number(row?.Value ?? 0);
};

async function drain(mode: Mode): Promise<Drain> {
  const couponId = await system.createCoupon(mode.requests);
  coupons.push(couponId);
  const answers = await inParallel(
    Array.from(
      { length: mode.requests },
      (_, i) => () => system.issue(`${couponId}-u${i}`, couponId),
    ),
    50,
  );
  const refused = answers.filter((a) => a.status !== 202).length;
  if (refused > 0) throw new Error(`${refused} of ${mode.requests} requests were not admitted`);
  await outboxEmpty(); // every request is on coupon-requests before the worker starts

  const lockAtStart = await rowLockMs();
  const spawned = performance.now();
  const worker = await system.startWorker(mode.concurrency, mode.batch);
  try {
    const cpuAtStart = cpuMs(worker.child.pid as number);
    const pending = `SELECT COUNT(*) AS n FROM coupon_requests WHERE coupon_id = ? AND status = 'PENDING'`;
    await waitFor('all decided', 600_000, async () => (await count(pending, couponId)) === 0, 50);
    const decidedBy = Date.now(); // within a poll (50 ms) of the last commit
    const wallSec = (performance.now() - spawned) / 1000;
    const cpu = cpuMs(worker.child.pid as number) - cpuAtStart;
    const lockMs = (await rowLockMs()) - lockAtStart;
    const batches = await system.prisma.$queryRaw<{ at: Date; n: bigint; issued: bigint }[]>`
      SELECT completed_at AS at, COUNT(*) AS n, SUM(user_coupon_id IS NOT NULL) AS issued
        FROM coupon_requests WHERE coupon_id = ${couponId} GROUP BY completed_at ORDER BY completed_at`;
    const issued = batches.reduce((sum, b) => sum + Number(b.issued), 0);
    if (issued !== mode.requests) throw new Error(`issued ${issued} of ${mode.requests}`);
    const spanMs = decidedBy - Number(batches[0]?.at);
    // Results delivered and marked NOTIFIED before the next run, so it pays for nothing of this one.
    const open = `SELECT COUNT(*) AS n FROM coupon_requests WHERE coupon_id = ? AND status <> 'NOTIFIED'`;
    await waitFor('all notified', 120_000, async () => (await count(open, couponId)) === 0);
    await outboxEmpty();
    return {
      perSec: mode.requests / (spanMs / 1000),
      batches: batches.length,
      wallSec,
      cpuMsPerRequest: cpu / mode.requests,
      busy: cpu / spanMs,
      lockMsPerRequest: lockMs / mode.requests,
    };
  } finally {
    await worker.kill();
  }
}

try {
  const load1 = () => (loadavg()[0] ?? 0).toFixed(1);
  console.log(
    `drain: ${REQUESTS} requests per batched run, ${single.requests} one at a time, one coupon-worker, ${PLAN.length} runs; load ${load1()}`,
  );
  const runs = new Map<Mode, Drain[]>();
  for (const [i, mode] of PLAN.entries()) {
    const d = await drain(mode);
    runs.set(mode, [...(runs.get(mode) ?? []), d]);
    console.log(
      `drain run ${i + 1} ${mode.name} (CONSUMER_CONCURRENCY=${mode.concurrency} BATCH_MAX_RECORDS=${mode.batch})` +
        `  ${Math.round(d.perSec)} decided/s in ${d.batches} transactions` +
        `  (${d.wallSec.toFixed(1)} s from worker spawn to last decision,` +
        ` worker CPU ${d.cpuMsPerRequest.toFixed(2)} ms/request = ${d.busy.toFixed(2)} core,` +
        ` row-lock wait ${d.lockMsPerRequest.toFixed(2)} ms/request); load ${load1()}`,
    );
  }
  const rate = (m: Mode) => median((runs.get(m) ?? []).map((d) => d.perSec));
  const cpu = (m: Mode) => median((runs.get(m) ?? []).map((d) => d.cpuMsPerRequest));
  console.log(
    `RESULT drain: one at a time ${Math.round(rate(single))}/s, batched ${Math.round(rate(batched1))}/s, ` +
      `ratio ${(rate(batched1) / rate(single)).toFixed(1)} (target >= 10); batched 3 partitions ` +
      `${Math.round(rate(batched3))}/s, ratio 3 / 1 ${(rate(batched3) / rate(batched1)).toFixed(2)} (target >= 1.8); ` +
      `worker CPU per decision ${cpu(single).toFixed(2)} / ${cpu(batched1).toFixed(2)} / ${cpu(batched3).toFixed(2)} ms; load ${load1()}`,
  );
  writeBenchResults([
    {
      component: 'coupon-worker',
      metric: `drain, batched (1 partition), ${REQUESTS} requests`,
      kind: 'throughput',
      unit: 'decided/s',
      value: rate(batched1),
      anchor: { name: 'one at a time', value: rate(single) },
      target: atLeast(10),
    },
    {
      component: 'coupon-worker',
      metric: `drain, batched, 3 partitions, ${REQUESTS} requests`,
      kind: 'throughput',
      unit: 'decided/s',
      value: rate(batched3),
      anchor: { name: 'batched, 1 partition', value: rate(batched1) },
      target: atLeast(1.8),
    },
  ]);
} finally {
  clearTimeout(deadline);
  await cleanUp();
}
