// Open-loop load at a fixed rate: requests leave at evenly spaced instants whatever the
// answers, and each latency counts from its planned instant (a late send counts against it).
// autocannon's overallRate instead lets every connection send its quota at the top of each
// second: bursts as wide as the connections.
import { Agent, request } from 'node:http';
import type { LoadResult } from './load.ts';
import type { TokenPool } from './tokens.ts';

export async function pacedIssueLoad(
  baseUrl: string,
  couponId: string,
  plan: { rate: number; seconds: number },
  tokens: TokenPool,
): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const url = new URL('/coupons/issue', baseUrl);
  const latencies: number[] = [];
  let other = 0;
  const body = JSON.stringify({ couponId });
  const send = (due: number) =>
    new Promise<void>((resolve) => {
      const from = Math.min(due, performance.now()); // sent up to 1 ms early: from then
      const headers = {
        'content-type': 'application/json',
        'content-length': body.length,
        authorization: `Bearer ${tokens.next()}`,
      };
      const req = request(url, { method: 'POST', agent, headers, timeout: 10_000 }, (res) => {
        res.resume().on('end', () => {
          if (res.statusCode === 202) latencies.push(performance.now() - from);
          else other++;
          resolve();
        });
      });
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', () => {
        other++;
        resolve();
      });
      req.end(body);
    });

  const total = Math.round(plan.rate * plan.seconds);
  const sent: Promise<void>[] = [];
  const started = performance.now();
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / plan.rate;
    const wait = due - performance.now();
    if (wait >= 1) await new Promise((r) => setTimeout(r, wait));
    sent.push(send(due));
  }
  await Promise.all(sent);
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    Math.round((latencies[Math.floor(q * (latencies.length - 1))] ?? NaN) * 10) / 10;
  return {
    reqPerSec: latencies.length / seconds,
    p50: at(0.5),
    p99: at(0.99),
    accepted: latencies.length,
    other,
  };
}
