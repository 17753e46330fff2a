// One autocannon run against POST /coupons/issue: the pool's next shopper token on every
// request, so coupon-api verifies, rate-counts and admits (or refuses) each.
import autocannon from 'autocannon';
import type { TokenPool } from './tokens.ts';

export interface LoadResult {
  reqPerSec: number;
  p50: number;
  p99: number;
  accepted: number;
  /** Answers other than 2xx, connection errors and timeouts. */
  other: number;
}

export interface LoadPlan {
  seconds: number;
  connections: number;
  /** Requests per second over all connections; unset for as fast as the server answers. */
  rate?: number;
}

export async function issueLoad(
  baseUrl: string,
  couponId: string,
  plan: LoadPlan,
  tokens: TokenPool,
): Promise<LoadResult> {
  const result = await autocannon({
    url: `${baseUrl}/coupons/issue`,
    requests: [
      {
        method: 'POST',
        body: JSON.stringify({ couponId }),
        setupRequest: (request) => ({
          ...request,
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${tokens.next()}`,
          },
        }),
      },
    ],
    connections: plan.connections,
    pipelining: 1,
    duration: plan.seconds,
    timeout: 10,
    // With a rate, autocannon "corrects" coordinated omission assuming 1 ms between a
    // connection's requests (ceil(1 / rate per connection)), adding made-up samples: off.
    ...(plan.rate ? { overallRate: plan.rate, ignoreCoordinatedOmission: true } : {}),
  });
  return {
    reqPerSec: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    accepted: result['2xx'],
    other: result.non2xx + result.errors + result.timeouts,
  };
}

export function describe(name: string, r: LoadResult): string {
  const rps = Math.round(r.reqPerSec).toLocaleString('en-US').padStart(6);
  return (
    `${name.padEnd(5)} ${rps} req/s  p50 ${String(r.p50).padStart(3)} ms  p99 ${String(r.p99).padStart(4)} ms` +
    `  (${r.accepted} accepted, ${r.other} other)`
  );
}
