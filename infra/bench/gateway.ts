// What the gateway costs: requests per second and latency straight to an upstream and
// through the local gateway (stack.sh's nginx, the shared template) to the same upstream,
// interleaved three times each (direct, gateway, direct, …) on this shared machine; the
// figure is the ratio of the medians. The upstream answers at once, so the ratio is the
// gateway's ceiling, not a service's: a real service answers far slower than this one.
//   BENCH_SECONDS (8) per trial, BENCH_CONNECTIONS (50)
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, median } from '@commerce/testing';
import { localStack } from '../test/support/local-stack.ts';
import { startUpstream } from '../test/support/upstream.ts';

const seconds = Number(process.env.BENCH_SECONDS ?? 8);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const load = () => loadavg()[0]?.toFixed(2);
const autocannonBin = join(import.meta.dirname, '..', 'node_modules', '.bin', 'autocannon');

/** autocannon's own CLI, its JSON summary (the package ships no typings). */
async function autocannon(url: string) {
  const { stdout } = await promisify(execFile)(
    autocannonBin,
    ['-j', '-c', String(connections), '-d', String(seconds), url],
    { maxBuffer: 16 * 1024 * 1024 },
  );
  return JSON.parse(stdout) as {
    requests: { average: number };
    latency: { p99: number };
    errors: number;
    non2xx: number;
  };
}

const upstream = await startUpstream('order-api');
const port = await freePort();
const stateDir = mkdtempSync(join(tmpdir(), 'gateway-bench-'));
const stack = localStack(stateDir, {
  GATEWAY_PORT: String(port),
  GATEWAY_URL: `http://127.0.0.1:${port}`,
  ORDER_API_UPSTREAM: upstream.address,
});
await stack('up', 'gateway');

const sides = {
  direct: `http://${upstream.address}/products`,
  gateway: `http://127.0.0.1:${port}/products`,
};
const results: Record<keyof typeof sides, { rps: number; p99: number }[]> = {
  direct: [],
  gateway: [],
};
console.log(`load average before: ${load()}`);
try {
  for (let round = 0; round < 3; round++) {
    for (const side of ['direct', 'gateway'] as const) {
      const run = await autocannon(sides[side]);
      if (run.errors > 0 || run.non2xx > 0)
        throw new Error(`${side}: ${run.errors} errors, ${run.non2xx} non-2xx`);
      results[side].push({ rps: run.requests.average, p99: run.latency.p99 });
      console.log(
        `${side.padEnd(8)} ${Math.round(run.requests.average)} req/s, p99 ${run.latency.p99} ms`,
      );
    }
  }
} finally {
  await stack('down', 'gateway');
  await upstream.close();
  rmSync(stateDir, { recursive: true, force: true });
}
const rps = (side: keyof typeof sides) => median(results[side].map((r) => r.rps));
const p99 = (side: keyof typeof sides) => median(results[side].map((r) => r.p99));
console.log(`load average after: ${load()}`);
console.log(
  `median: direct ${Math.round(rps('direct'))} req/s (p99 ${p99('direct')} ms), gateway ${Math.round(rps('gateway'))} req/s (p99 ${p99('gateway')} ms); gateway/direct ${(rps('gateway') / rps('direct')).toFixed(2)}`,
);
