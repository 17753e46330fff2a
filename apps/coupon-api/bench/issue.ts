// POST /coupons/issue throughput and latency: the real coupon-api (its own process, a fresh
// database, a Kafka broker of its own, the outbox relay publishing in the background; no
// coupon-worker: the 202 comes before any worker runs) against a bare Fastify route with the
// same body schema answering 202 (its own process too). Interleaved max-rate runs, medians,
// then both at half coupon-api's max rate. Usage (stack up):
//   pnpm --filter @commerce/coupon-api bench
// BENCH_SECONDS (10) and BENCH_CONNECTIONS (50) change the runs.
import { loadavg } from 'node:os';
import { join } from 'node:path';
import {
  atLeast,
  atMost,
  cpuMs,
  freePort,
  median,
  type ServiceProcess,
  stackAddresses,
  startServiceProcess,
  writeBenchResults,
} from '@commerce/testing';
import { Redis } from 'ioredis';
import { admissionKeys } from '../src/data-access/admission-keys.ts';
import { startCouponSystem } from '../test/e2e/system.ts';
import { describe, issueLoad, type LoadResult } from './load.ts';
import { pacedIssueLoad } from './paced.ts';
import { childPid, machineBusy } from './proc.ts';
import { benchTokenAlgorithm, type TokenPool, tokenPool } from './tokens.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const ROUNDS = 3;
const DEADLINE_MS = 15 * 60_000;

// Every admitted request is a distinct shopper: tokens are minted before each run, twice
// what it is expected to send (BENCH_TOKENS before the first). A refused shopper leaves no
// trace in the admission state, so the sold-out runs cycle through a smaller pool: a repeated
// refusal takes the same path (each well inside the per-user rate limit).
const TOKENS = Number(process.env.BENCH_TOKENS ?? 60_000);
const REFUSAL_TOKENS = 20_000;
// BENCH_CPU_PROF_DIR: coupon-api writes a CPU profile there when it stops (node --cpu-prof).
const profileDir = process.env.BENCH_CPU_PROF_DIR;
const system = await startCouponSystem({
  workers: 0,
  tokenAlgorithm: benchTokenAlgorithm(),
  ...(profileDir ? { apiEnv: { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${profileDir}` } } : {}),
});
const redis = new Redis(stackAddresses().redisUrl);
let bare: ServiceProcess | undefined;
let couponId = '';
let soldOutId = '';

async function cleanUp() {
  await bare?.kill();
  await system.close(); // coupon-api, the broker, the database
  for (const id of [couponId, soldOutId].filter(Boolean)) await redis.unlink(...admissionKeys(id));
  await redis.quit();
}
const deadline = setTimeout(() => {
  console.error(`issue benchmark still running after ${DEADLINE_MS / 1000}s: giving up`);
  void cleanUp().finally(() => process.exit(1));
}, DEADLINE_MS);

/** Waits for the relay to publish what a run wrote, so no run pays for the one before. */
async function outboxDrained(): Promise<string> {
  const started = performance.now();
  let backlog = -1;
  for (;;) {
    const [row] = await system.prisma.$queryRaw<{ n: bigint }[]>`
      SELECT COUNT(*) AS n FROM outbox_events WHERE published_at IS NULL`;
    const n = Number(row?.n ?? 0);
    if (backlog < 0) backlog = n;
    if (n === 0) break;
    if (performance.now() - started > 120_000) throw new Error(`outbox still holds ${n} rows`);
    await new Promise((r) => setTimeout(r, 200));
  }
  const took = ((performance.now() - started) / 1000).toFixed(1);
  return `outbox: ${backlog} rows left at the end, published in ${took} s`;
}

type Side = 'ours' | 'bare';
type Load = (url: string) => Promise<LoadResult>;
const sides = {} as Record<Side, { url: string; pid: number }>;
const tokens = {} as Record<Side, TokenPool>;
/** `expectedPerSec`: the rate this run of ours may reach, so that it gets enough fresh tokens. */
async function run(side: Side, label: string, load: Load, expectedPerSec = 0): Promise<LoadResult> {
  if (side === 'ours') await tokens.ours.reserve(Math.ceil(2 * expectedPerSec * SECONDS));
  const cpuBefore = cpuMs(sides[side].pid);
  const busy = machineBusy();
  const result = await load(sides[side].url);
  const cpu = (cpuMs(sides[side].pid) - cpuBefore) / Math.max(1, result.accepted + result.other);
  const machine = `machine ${Math.round(100 * busy())} % busy`;
  const drained = side === 'ours' ? `; ${await outboxDrained()}` : '';
  console.log(
    `issue ${label} ${describe(side, result)} CPU ${cpu.toFixed(3)} ms/req, ${machine}${drained}`,
  );
  return result;
}

try {
  const barePort = await freePort();
  bare = await startServiceProcess({
    name: 'bare-fastify',
    entry: join(import.meta.dirname, 'bare-server.ts'),
    env: { PORT: String(barePort) },
    readyMessage: 'bare-fastify started',
  });
  sides.ours = { url: system.baseUrl, pid: childPid('coupon-api/src/main.ts') };
  sides.bare = { url: `http://127.0.0.1:${barePort}`, pid: bare.child.pid as number };
  couponId = await system.createCoupon(10_000_000, { from: -60_000, until: 24 * 3_600_000 });
  const mint = system.idp.mint;
  tokens.ours = await tokenPool(mint, 'bench', TOKENS);
  const refusalTokens = await tokenPool(mint, 'refused', REFUSAL_TOKENS);
  // The bare route checks nothing: any tokens do, as long as the request is as large.
  tokens.bare = await tokenPool(mint, 'bare', 1_000);
  const tokensOf = (url: string) => (url === sides.ours.url ? tokens.ours : tokens.bare);
  const load1 = () => (loadavg()[0] ?? 0).toFixed(1);
  console.log(
    `issue: ${SECONDS} s runs, ${CONNECTIONS} connections, pipelining 1; load ${load1()}`,
  );
  const atMax: Load = (url) =>
    issueLoad(url, couponId, { seconds: SECONDS, connections: CONNECTIONS }, tokensOf(url));
  // JIT, connection pools and the coupon's admission state in Redis, before any figure.
  let warmUpRate = 0;
  for (const side of ['ours', 'bare'] as const) {
    const { reqPerSec } = await issueLoad(
      sides[side].url,
      couponId,
      { seconds: 3, connections: CONNECTIONS },
      tokensOf(sides[side].url),
    );
    if (side === 'ours') warmUpRate = reqPerSec;
  }
  await outboxDrained();
  const fastest = (results: LoadResult[], otherwise: number) =>
    Math.max(otherwise, ...results.map((r) => r.reqPerSec));

  const runs = { ours: [] as LoadResult[], bare: [] as LoadResult[] };
  for (let round = 1; round <= ROUNDS; round++) {
    const expected = fastest(runs.ours, warmUpRate);
    for (const side of ['ours', 'bare'] as const)
      runs[side].push(await run(side, `max round ${round}`, atMax, expected));
  }
  // The sold-out path: a coupon whose one place is taken; every request is refused (409
  // SOLD_OUT) by the Redis admission alone.
  soldOutId = await system.createCoupon(1, { from: -60_000, until: 24 * 3_600_000 });
  if ((await system.issue('first-and-only', soldOutId)).status !== 202)
    throw new Error('the sold-out coupon took no first request');
  const soldOut: Load = (url) =>
    issueLoad(
      url,
      soldOutId,
      { seconds: SECONDS, connections: CONNECTIONS },
      url === sides.ours.url ? refusalTokens : tokens.bare,
    );
  const refusals = { ours: [] as LoadResult[], bare: [] as LoadResult[] };
  for (let round = 1; round <= ROUNDS; round++)
    for (const side of ['ours', 'bare'] as const)
      refusals[side].push(await run(side, `sold-out round ${round}`, soldOut));
  const refused = (side: Side) => median(refusals[side].map((r) => r.reqPerSec));
  console.log(
    `RESULT issue sold-out path (median of ${ROUNDS}): coupon-api ${Math.round(refused('ours'))} req/s, ` +
      `bare Fastify ${Math.round(refused('bare'))} req/s, ratio ${(refused('ours') / refused('bare')).toFixed(3)} ` +
      `(target >= 0.6); load ${load1()}`,
  );

  const max = (side: Side) => median(runs[side].map((r) => r.reqPerSec));
  const p99 = (side: Side) => median(runs[side].map((r) => r.p99));
  const rate = Math.round(max('ours') / 2);
  const bursts: Load = (url) =>
    issueLoad(url, couponId, { seconds: SECONDS, connections: CONNECTIONS, rate }, tokensOf(url));
  const paced: Load = (url) =>
    pacedIssueLoad(url, couponId, { rate, seconds: SECONDS }, tokensOf(url));
  const half = {
    ours: await run('ours', `${rate}/s autocannon`, bursts, rate),
    bare: await run('bare', `${rate}/s autocannon`, bursts),
    oursPaced: await run('ours', `${rate}/s paced`, paced, rate),
    barePaced: await run('bare', `${rate}/s paced`, paced),
  };

  console.log(
    `RESULT issue max rate (median of ${ROUNDS}): coupon-api ${Math.round(max('ours'))} req/s ` +
      `(p99 ${p99('ours')} ms), bare Fastify ${Math.round(max('bare'))} req/s (p99 ${p99('bare')} ms), ` +
      `ratio ${(max('ours') / max('bare')).toFixed(3)} (target >= 0.25); load ${load1()}`,
  );
  const pp = (r: LoadResult) => `p50 ${r.p50} ms, p99 ${r.p99} ms`;
  console.log(
    `RESULT issue at ${rate} req/s (half of max), target p99 <= 25 ms: coupon-api ` +
      `autocannon overallRate ${pp(half.ours)}, paced ${pp(half.oursPaced)}; ` +
      `bare Fastify autocannon ${pp(half.bare)}, paced ${pp(half.barePaced)}; load ${load1()}`,
  );
  // A repeated user answers 409 ALREADY_REQUESTED: the figures would not be the path's.
  if (tokens.ours.used > tokens.ours.size)
    throw new Error(`${tokens.ours.used} requests for ${tokens.ours.size} tokens: users repeated`);
  writeBenchResults([
    {
      component: 'coupon-api',
      metric: 'POST /coupons/issue, admitted, max rate',
      kind: 'throughput',
      unit: 'req/s',
      value: max('ours'),
      anchor: { name: 'bare Fastify route', value: max('bare') },
      target: atLeast(0.25),
    },
    {
      component: 'coupon-api',
      metric: 'POST /coupons/issue, sold out, max rate',
      kind: 'throughput',
      unit: 'req/s',
      value: refused('ours'),
      anchor: { name: 'bare Fastify route', value: refused('bare') },
      target: atLeast(0.6),
    },
    {
      component: 'coupon-api',
      metric: `p99 at half max rate (${rate} req/s, paced)`,
      kind: 'latency',
      unit: 'ms',
      value: half.oursPaced.p99,
      anchor: { name: 'bare Fastify route', value: half.barePaced.p99 },
      target: atMost(25),
    },
    {
      component: 'coupon-api',
      metric: `p50 at half max rate (${rate} req/s, paced)`,
      kind: 'latency',
      unit: 'ms',
      value: half.oursPaced.p50,
      anchor: { name: 'bare Fastify route', value: half.barePaced.p50 },
    },
  ]);
} finally {
  clearTimeout(deadline);
  await cleanUp();
}
