// The rush at scale: how soon every shopper has their result. coupon-api and one coupon-worker
// (CONSUMER_CONCURRENCY=3, batches) run as processes on a Kafka broker of their own and a
// fresh database; a coupon of 10,000 meets 30,000 requests from 20,000 users (half of them
// ask twice), 100 in flight, in random order. The figure is the time from the answer to the
// last request to the moment every accepted request is NOTIFIED (its result pushed to the
// shopper's stream by coupon-api). Usage (stack up):
//   node --conditions=@commerce/source bench/rush.ts   BENCH_RUSH_COUPONS (default 10000)
import { loadavg } from 'node:os';
import {
  atMost,
  deleteKeys,
  inParallel,
  stackAddresses,
  writeBenchResults,
} from '@commerce/testing';
import { Redis } from 'ioredis';
import { startDrainSystem } from './system.ts';

const COUPONS = Number(process.env.BENCH_RUSH_COUPONS ?? 10_000);
const USERS = COUPONS * 2;
const DEADLINE_MS = 15 * 60_000;

const system = await startDrainSystem();
const redis = new Redis(stackAddresses().redisUrl);
let couponId = '';
const deadline = setTimeout(() => {
  console.error(`rush benchmark still running after ${DEADLINE_MS / 1000}s: giving up`);
  void cleanUp().finally(() => process.exit(1));
}, DEADLINE_MS);
async function cleanUp() {
  await system.close();
  if (couponId) await deleteKeys(redis, `{coupon:${couponId}}:`);
  await redis.quit();
}

const count = async (sql: string) => {
  const [row] = await system.prisma.$queryRawUnsafe<{ n: bigint }[]>(sql, couponId);
  return Number(row?.n ?? 0);
};

try {
  const load1 = () => (loadavg()[0] ?? 0).toFixed(1);
  const worker = await system.startWorker(3);
  couponId = await system.createCoupon(COUPONS);
  const senders = Array.from({ length: USERS }, (_, i) => `${couponId}-u${i}`);
  senders.push(...senders.slice(0, USERS / 2));
  senders.sort(() => Math.random() - 0.5);
  console.log(
    `rush: ${senders.length} requests, ${USERS} users, ${COUPONS} coupons; load ${load1()}`,
  );

  const started = performance.now();
  let lastAnswer = started;
  const answers = await inParallel(
    senders.map((userId) => async () => {
      const answer = await system.issue(userId, couponId);
      lastAnswer = performance.now();
      return answer.status;
    }),
    100,
  );
  const open = `SELECT COUNT(*) AS n FROM coupon_requests WHERE coupon_id = ? AND status <> 'NOTIFIED'`;
  let stillOpen = await count(open);
  const openAtLastAnswer = stillOpen;
  while (stillOpen > 0) {
    if (performance.now() - lastAnswer > 600_000) throw new Error(`${stillOpen} never notified`);
    if (worker.child.exitCode !== null)
      throw new Error(`coupon-worker exited:\n${worker.output().slice(-3_000)}`);
    await new Promise((r) => setTimeout(r, 50));
    stillOpen = await count(open);
  }
  const resolvedSec = (performance.now() - lastAnswer) / 1000;
  const issued = await count('SELECT COUNT(*) AS n FROM user_coupons WHERE coupon_id = ?');
  if (issued !== COUPONS) throw new Error(`issued ${issued} of ${COUPONS}`);
  const accepted = answers.filter((s) => s === 202).length;
  const rushSec = (lastAnswer - started) / 1000;
  console.log(
    `RESULT rush: ${senders.length} requests answered in ${rushSec.toFixed(1)} s ` +
      `(${Math.round(senders.length / rushSec)}/s, ${accepted} accepted, ${issued} issued); ` +
      `${openAtLastAnswer} not yet notified at the last answer; all NOTIFIED ` +
      `${resolvedSec.toFixed(1)} s after it (target <= 10 s); load ${load1()}`,
  );
  writeBenchResults([
    {
      component: 'coupon-worker',
      metric: `rush: last answer to all NOTIFIED, ${senders.length} requests`,
      kind: 'latency',
      unit: 's',
      value: resolvedSec,
      target: atMost(10),
    },
    {
      component: 'coupon-worker',
      metric: `rush: requests answered by coupon-api and the worker`,
      kind: 'throughput',
      unit: 'req/s',
      value: senders.length / rushSec,
    },
  ]);
} finally {
  clearTimeout(deadline);
  await cleanUp();
}
