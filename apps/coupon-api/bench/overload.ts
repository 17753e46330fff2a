// POST /coupons/issue at twice its measured maximum rate for 30 s: coupon-api (its own
// process, one coupon-worker, a Kafka broker of its own) must shed the excess with 429/503,
// keep the accepted requests' p99 bounded, not crash nor run out of memory, come back near
// its memory baseline, and keep the rush's promises (issued == stock, nobody twice, every
// 202 resolved). Usage (stack up):
//   pnpm --filter @commerce/coupon-api exec node --conditions=@commerce/source bench/overload.ts
// BENCH_SECONDS (30), BENCH_STOCK (3000), OVERLOAD_MAX_EVENT_LOOP_DELAY_MS (100) and
// OVERLOAD_MAX_WRITES_IN_FLIGHT (64) change it.
import { loadavg } from 'node:os';
import {
  closedLoopRate,
  heapUsedBytes,
  jsonClient,
  openLoopRun,
  rssBytes,
  uniqueName,
  waitFor,
} from '@commerce/testing';
import { expectRushInvariants, type RushResult } from '../test/e2e/rush.ts';
import { startCouponSystem } from '../test/e2e/system.ts';
import { benchTokenAlgorithm, tokenPool } from './tokens.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const STOCK = Number(process.env.BENCH_STOCK ?? 3_000);
const DELAY_MS = process.env.OVERLOAD_MAX_EVENT_LOOP_DELAY_MS ?? '100';
const WRITES = process.env.OVERLOAD_MAX_WRITES_IN_FLIGHT ?? '64';
const load1 = () => (loadavg()[0] ?? 0).toFixed(1);
const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;

const system = await startCouponSystem({
  workers: 1,
  tokenAlgorithm: benchTokenAlgorithm(),
  env: {
    OVERLOAD_MAX_EVENT_LOOP_DELAY_MS: DELAY_MS,
    OVERLOAD_MAX_WRITES_IN_FLIGHT: WRITES,
    OVERLOAD_RETRY_AFTER_SECONDS: '1',
  },
});
const pid = system.apis[0]?.child.pid as number;
const client = jsonClient(system.baseUrl);
try {
  const baseline = rssBytes(pid);
  const heapBaseline = await heapUsedBytes(system.baseUrl);
  // 1. The maximum rate: closed loop, every request a new shopper, a coupon that never runs out.
  const probeCoupon = await system.createCoupon(10_000_000);
  const probeTokens = await tokenPool(system.idp.mint, uniqueName('max'), 15_000);
  const issue = (couponId: string, token: string) =>
    client.send('/coupons/issue', { couponId }, { authorization: `Bearer ${token}` });
  const max = await closedLoopRate({
    seconds: 10,
    concurrency: 64,
    send: () => issue(probeCoupon, probeTokens.next()),
  });
  const rate = Math.round(2 * max);
  console.log(
    `overload: max ${Math.round(max)} req/s (closed loop, 64 connections); load ${load1()}`,
  );

  // 2. Twice that, open loop, on a rush coupon with STOCK places; one shopper in ten repeats.
  const couponId = await system.createCoupon(STOCK);
  const users = await tokenPool(
    system.idp.mint,
    uniqueName('rush'),
    Math.ceil(rate * SECONDS * 0.9),
  );
  const results: RushResult[] = [];
  let peak = baseline;
  const sampler = setInterval(() => {
    peak = Math.max(peak, rssBytes(pid));
  }, 250);
  const tokensSent: string[] = [];
  const report = await openLoopRun({
    rate,
    seconds: SECONDS,
    send: (i) => {
      const token =
        i % 10 === 9 && tokensSent.length > 0 ? (tokensSent[i - 5] as string) : users.next();
      tokensSent[i] = token;
      return issue(couponId, token);
    },
    accepted: (answer) => answer.status === 202,
    onAnswer: (i, answer) => {
      results.push({
        userId: tokensSent[i] as string,
        status: answer.status,
        ...(typeof answer.body?.requestId === 'string' ? { requestId: answer.body.requestId } : {}),
        ...(answer.code ? { code: answer.code } : {}),
      });
    },
  });
  clearInterval(sampler);
  console.log(
    `overload: ${report.sent} requests at ${rate} req/s for ${report.seconds.toFixed(1)} s:`,
    report.answers,
  );
  console.log(
    `overload: accepted p50 ${report.acceptedP50} ms, p99 ${report.acceptedP99} ms, max ${report.acceptedMax} ms; load ${load1()}`,
  );

  // 3. Alive, memory back near its baseline, and the rush's promises kept.
  const alive = await fetch(`${system.baseUrl}/healthz`);
  await system.waitAllNotified(couponId, 180_000);
  // The heap is what returns (V8 keeps RSS it once took): back within 50 MB of its baseline.
  await waitFor('heap back near the baseline', 60_000, async () => {
    return (await heapUsedBytes(system.baseUrl)) < heapBaseline + 50 * 1024 * 1024;
  }).catch((err: Error) => console.log(`overload: ${err.message}`));
  const after = rssBytes(pid);
  const heapAfter = await heapUsedBytes(system.baseUrl);
  console.log(
    `overload: coupon-api alive (${alive.status}); RSS baseline ${mb(baseline)}, peak ${mb(peak)}, after ${mb(after)}; heap ${mb(heapBaseline)} → ${mb(heapAfter)}`,
  );
  // Sheds (429/503) and timeouts are not rush answers; the rest must be as in any rush.
  const answered = results.filter((r) => r.status === 202 || r.status === 409);
  const shed = results.filter((r) => r.status === 429 || r.status === 503).length;
  const accepted = answered.filter((r) => r.status === 202).length;
  await expectRushInvariants(system, couponId, Math.min(STOCK, accepted), answered);
  const ok = results.filter((r) => r.status >= 500 && r.status !== 503).length === 0;
  console.log(
    `RESULT overload issue at ${rate} req/s (2 x ${Math.round(max)}) for ${SECONDS} s: ${accepted} accepted, ${shed} shed (429/503), ` +
      `${ok ? 'no other 5xx' : 'OTHER 5xx SEEN'}; accepted p99 ${report.acceptedP99} ms; RSS ${mb(baseline)} → peak ${mb(peak)} → ${mb(after)}, heap ${mb(heapBaseline)} → ${mb(heapAfter)}; ` +
      `rush invariants held; load ${load1()}`,
  );
} finally {
  client.close();
  await system.close();
}
