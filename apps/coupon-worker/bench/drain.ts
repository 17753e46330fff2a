// Rush drain: how fast one coupon-worker process decides a backlog of admitted requests, with
// CONSUMER_CONCURRENCY=1 and 3 (partitions of coupon-requests handled at once), interleaved
// 1,3,1,3,1,3 on one system (coupon-api and a Kafka broker of its own, a fresh database).
// Each run: a coupon of N, N distinct users admitted through the API while no worker runs,
// the outbox drained onto coupon-requests, then a worker started; its rate is N-1 over the
// span from the first to the last decision (completed_at), so process start and group join
// are left out (printed apart). Usage (stack up):
//   pnpm --filter @commerce/coupon-worker bench          BENCH_DRAIN_REQUESTS (default 3000)
import { loadavg } from 'node:os';
import { cpuMs, deleteKeys, inParallel, median, stackAddresses, waitFor } from '@commerce/testing';
import { Redis } from 'ioredis';
import { startDrainSystem } from './system.ts';

const REQUESTS = Number(process.env.BENCH_DRAIN_REQUESTS ?? 3_000);
const PLAN = [1, 3, 1, 3, 1, 3];
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

async function drain(concurrency: number): Promise<Drain> {
  const couponId = await system.createCoupon(REQUESTS);
  coupons.push(couponId);
  const answers = await inParallel(
    Array.from({ length: REQUESTS }, (_, i) => () => system.issue(`${couponId}-u${i}`, couponId)),
    50,
  );
  const refused = answers.filter((a) => a.status !== 202).length;
  if (refused > 0) throw new Error(`${refused} of ${REQUESTS} requests were not admitted`);
  await outboxEmpty(); // every request is on coupon-requests before the worker starts

  const lockAtStart = await rowLockMs();
  const spawned = performance.now();
  const worker = await system.startWorker(concurrency);
  try {
    const cpuAtStart = cpuMs(worker.child.pid as number);
    const pending = `SELECT COUNT(*) AS n FROM coupon_requests WHERE coupon_id = ? AND status = 'PENDING'`;
    await waitFor('all decided', 600_000, async () => (await count(pending, couponId)) === 0, 50);
    const wallSec = (performance.now() - spawned) / 1000;
    const cpu = cpuMs(worker.child.pid as number) - cpuAtStart;
    const lockMs = (await rowLockMs()) - lockAtStart;
    const [span] = await system.prisma.$queryRaw<{ us: bigint; issued: bigint }[]>`
      SELECT TIMESTAMPDIFF(MICROSECOND, MIN(completed_at), MAX(completed_at)) AS us,
             SUM(user_coupon_id IS NOT NULL) AS issued
        FROM coupon_requests WHERE coupon_id = ${couponId}`;
    if (Number(span?.issued) !== REQUESTS) throw new Error(`issued ${span?.issued} of ${REQUESTS}`);
    // Results delivered and marked NOTIFIED before the next run, so it pays for nothing of this one.
    const open = `SELECT COUNT(*) AS n FROM coupon_requests WHERE coupon_id = ? AND status <> 'NOTIFIED'`;
    await waitFor('all notified', 120_000, async () => (await count(open, couponId)) === 0);
    await outboxEmpty();
    return {
      perSec: (REQUESTS - 1) / (Number(span?.us) / 1e6),
      wallSec,
      cpuMsPerRequest: cpu / REQUESTS,
      busy: cpu / (Number(span?.us) / 1000),
      lockMsPerRequest: lockMs / REQUESTS,
    };
  } finally {
    await worker.kill();
  }
}

try {
  const load1 = () => (loadavg()[0] ?? 0).toFixed(1);
  console.log(
    `drain: ${REQUESTS} requests per run, one coupon-worker, plan ${PLAN.join(',')}; load ${load1()}`,
  );
  const runs = new Map<number, Drain[]>();
  for (const [i, concurrency] of PLAN.entries()) {
    const d = await drain(concurrency);
    runs.set(concurrency, [...(runs.get(concurrency) ?? []), d]);
    console.log(
      `drain run ${i + 1} CONSUMER_CONCURRENCY=${concurrency}  ${Math.round(d.perSec)} decided/s` +
        `  (${d.wallSec.toFixed(1)} s from worker spawn to last decision,` +
        ` worker CPU ${d.cpuMsPerRequest.toFixed(2)} ms/request = ${d.busy.toFixed(2)} core,` +
        ` row-lock wait ${d.lockMsPerRequest.toFixed(2)} ms/request)`,
    );
  }
  const rate = (c: number) => median((runs.get(c) ?? []).map((d) => d.perSec));
  const wall = (c: number) => median((runs.get(c) ?? []).map((d) => d.wallSec));
  console.log(
    `RESULT drain: concurrency 1 ${Math.round(rate(1))} decided/s, concurrency 3 ${Math.round(rate(3))} decided/s, ` +
      `ratio ${(rate(3) / rate(1)).toFixed(2)} (target >= 2.5); spawn to last decision ` +
      `${wall(1).toFixed(1)} s vs ${wall(3).toFixed(1)} s (ratio ${(wall(1) / wall(3)).toFixed(2)}); load ${load1()}`,
  );
} finally {
  clearTimeout(deadline);
  await cleanUp();
}
