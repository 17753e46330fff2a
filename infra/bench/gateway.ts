// What the gateway costs: requests per second and latency straight to an upstream, through
// the local gateway as committed (stack.sh's nginx, the shared template, kept-alive upstream
// connections), and through the same gateway without `keepalive` (a new upstream connection
// per request), interleaved three times each on this shared machine; the figures are ratios
// of the medians. The upstream answers at once, so they are the gateway's ceiling, not a
// service's: a real service answers far slower than this one.
//   BENCH_SECONDS (8) per trial, BENCH_CONNECTIONS (50)
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, median, writeBenchResults } from '@commerce/testing';
import { repoRoot } from '../test/support/apps.ts';
import { localStack } from '../test/support/local-stack.ts';
import { startUpstream } from '../test/support/upstream.ts';

const seconds = Number(process.env.BENCH_SECONDS ?? 8);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const load = () => loadavg()[0]?.toFixed(2);
const autocannonBin = join(import.meta.dirname, '..', 'node_modules', '.bin', 'autocannon');
const workDir = mkdtempSync(join(tmpdir(), 'gateway-bench-'));

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
    timeouts: number;
    non2xx: number;
  };
}

/** A gateway of its own (stack folder, free port) in front of `upstream`, from `template`. */
async function startGateway(name: string, upstream: string, template: string) {
  const port = await freePort();
  const stack = localStack(join(workDir, name), {
    GATEWAY_PORT: String(port),
    GATEWAY_URL: `http://127.0.0.1:${port}`,
    GATEWAY_TEMPLATE: template,
    ORDER_API_UPSTREAM: upstream,
  });
  await stack('up', 'gateway');
  return { url: `http://127.0.0.1:${port}/products`, stop: () => stack('down', 'gateway') };
}

// Both gateways lift nginx's cap of 1000 requests per client connection, as the direct side
// (Node's server) has none: autocannon ignores the `Connection: close` nginx sends on the
// last one and writes another request, which the close then resets (an ECONNRESET error;
// docs/benchmarks.md). Production keeps the default: clients that honour the header are fine.
const clientSide = 'keepalive_requests 1000000000;\n';
const committed = join(repoRoot, 'infra', 'gateway', 'gateway.conf.template');
const source = readFileSync(committed, 'utf8');
if (/^\s*keepalive_requests\b/m.test(source))
  throw new Error(
    `${committed} sets keepalive_requests: see clientSide in ${import.meta.filename}`,
  );
const withKeepalive = join(workDir, 'keepalive.conf.template');
writeFileSync(withKeepalive, clientSide + source);
const withoutKeepalive = join(workDir, 'no-keepalive.conf.template');
const lines = source.split('\n');
const kept = lines.filter((line) => !/^\s*keepalive \d+;$/.test(line));
if (kept.length === lines.length) throw new Error(`no keepalive line in ${committed}`);
writeFileSync(withoutKeepalive, clientSide + kept.join('\n'));

const upstream = await startUpstream('order-api');
const gateway = await startGateway('keepalive', upstream.address, withKeepalive);
const perRequest = await startGateway('per-request', upstream.address, withoutKeepalive);
const sides = {
  direct: `http://${upstream.address}/products`,
  gateway: gateway.url,
  'no-keepalive': perRequest.url,
};
type Side = keyof typeof sides;
const results: Record<Side, { rps: number; p99: number }[]> = {
  direct: [],
  gateway: [],
  'no-keepalive': [],
};
console.log(`load average before: ${load()}`);
try {
  for (let round = 0; round < 3; round++) {
    for (const side of Object.keys(sides) as Side[]) {
      const run = await autocannon(sides[side]);
      if (run.errors > 0 || run.non2xx > 0)
        throw new Error(
          `${side}: ${run.errors} errors (${run.timeouts} of them timeouts), ${run.non2xx} non-2xx`,
        );
      results[side].push({ rps: run.requests.average, p99: run.latency.p99 });
      console.log(
        `${side.padEnd(13)} ${Math.round(run.requests.average)} req/s, p99 ${run.latency.p99} ms`,
      );
    }
  }
} finally {
  await gateway.stop();
  await perRequest.stop();
  await upstream.close();
  rmSync(workDir, { recursive: true, force: true });
}
const rps = (side: Side) => median(results[side].map((r) => r.rps));
const p99 = (side: Side) => median(results[side].map((r) => r.p99));
console.log(`load average after: ${load()}`);
for (const side of Object.keys(sides) as Side[])
  console.log(`median ${side.padEnd(13)} ${Math.round(rps(side))} req/s, p99 ${p99(side)} ms`);
console.log(
  `gateway/direct ${(rps('gateway') / rps('direct')).toFixed(2)}, no-keepalive/direct ${(rps('no-keepalive') / rps('direct')).toFixed(2)}, gateway/no-keepalive ${(rps('gateway') / rps('no-keepalive')).toFixed(2)}`,
);
writeBenchResults([
  {
    component: 'gateway',
    metric: `GET /products through nginx, ${connections} connections`,
    kind: 'throughput',
    unit: 'req/s',
    value: rps('gateway'),
    anchor: { name: 'direct to upstream', value: rps('direct') },
  },
  {
    component: 'gateway',
    metric: 'kept-alive upstream connections vs one per request',
    kind: 'throughput',
    unit: 'req/s',
    value: rps('gateway'),
    anchor: { name: 'no keepalive', value: rps('no-keepalive') },
  },
  {
    component: 'gateway',
    metric: `p99 through nginx, ${connections} connections`,
    kind: 'latency',
    unit: 'ms',
    value: p99('gateway'),
    anchor: { name: 'direct to upstream', value: p99('direct') },
  },
]);
