#!/usr/bin/env node
// ranking-worker throughput, as a ratio to redis-benchmark ZINCRBY on the same Redis in the
// same run. N OrderCompleted events (2 lines each, 200 products) are published once to a
// topic of this run; each round consumes all of them with a fresh group and a fresh key
// prefix (so every event is counted, none is a duplicate), timed from the first event
// handled to the last. Each round runs redis-benchmark right before the worker, and the
// ratio is taken per round (the machine is shared: back-to-back is as close as it gets).
//   pnpm --filter @commerce/ranking-worker bench [events]     default 30000 (stack up)
import { execFile } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { anEvent } from '@commerce/events/testing';
import { atLeast, deleteKeys, uniqueName, writeBenchResults } from '@commerce/testing';
import { readConfig } from '../src/config.ts';
import { createConsumer } from '../src/consumer.ts';
import { createDeps } from '../src/deps.ts';
import { createWorkerHarness, logger } from '../test/support/harness.ts';

const total = Number(process.argv[2] ?? 30_000);
const run = promisify(execFile);
const h = await createWorkerHarness();
const products = Array.from({ length: 200 }, (_, i) => `product-${i}`);
const completedAt = Date.now() - 60_000;
for (let i = 0; i < total; i += 1_000) {
  await h.publish(
    Array.from({ length: Math.min(1_000, total - i) }, (_, j) =>
      anEvent('OrderCompleted', {
        userId: `user-${(i + j) % 500}`,
        completedAt,
        items: [
          { productId: products[(i + j) % 200] as string, quantity: 1, unitPrice: 100 },
          { productId: products[(i + j * 7) % 199] as string, quantity: 2, unitPrice: 100 },
        ],
      }),
    ),
  );
}

async function workerRound(): Promise<number> {
  const prefix = uniqueName('bench');
  // The same topic and group name each round (the group is deleted after it, so the next
  // starts at offset 0), and fresh ranking keys, so every event is counted again.
  const config = readConfig({ ...h.env, RANKING_KEY_PREFIX: `${prefix}:ranking:` });
  const deps = await createDeps(config, logger);
  const runner = createConsumer(deps, () => undefined);
  let handled = 0;
  let first = 0;
  const done = new Promise<number>((resolve) => {
    runner.on('processed', () => {
      if (handled++ === 0) first = performance.now();
      if (handled === total) resolve(performance.now());
    });
  });
  await runner.start();
  const last = await done;
  await runner.stop();
  await h.admin.deleteGroups([h.groupId]);
  await deleteKeys(h.redis, config.RANKING_KEY_PREFIX);
  await deps.close();
  return (total - 1) / ((last - first) / 1_000);
}

async function redisBenchmark(pipeline: number, clients: number): Promise<number> {
  const key = `${uniqueName('bench')}:zincrby`;
  const url = new URL(h.config.REDIS_URL);
  const args = [
    '-h',
    url.hostname,
    '-p',
    url.port || '6379',
    '-n',
    '200000',
    '-c',
    String(clients),
    '-P',
    String(pipeline),
    '-r',
    '200',
    '--csv',
    'ZINCRBY',
    key,
    '1',
    'product-__rand_int__',
  ];
  const { stdout } = await run('redis-benchmark', args);
  await h.redis.del(key);
  // CSV: a header line, then "name","rps",...
  return Number(stdout.trim().split('\n').at(-1)?.split(',')[1]?.replaceAll('"', ''));
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const rounds: { worker: number; zincrby: number; pipelined: number }[] = [];
for (let round = 0; round < 3; round++) {
  // Like for like: as many connections as the worker has requests in flight (one script per
  // partition, 3), no pipelining; then redis-benchmark's best case (-c 50 -P 16) for scale.
  const zincrby = await redisBenchmark(1, 3);
  const pipelined = await redisBenchmark(16, 50);
  rounds.push({ worker: await workerRound(), zincrby, pipelined });
}
const col = (f: (r: (typeof rounds)[number]) => number, digits = 0) =>
  `median ${median(rounds.map(f)).toFixed(digits)}  (runs ${rounds.map((r) => f(r).toFixed(digits)).join(', ')})`;
console.log(
  `machine: ${cpus().length} cores, load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')} (1/5/15 min)`,
);
console.log(`events per round: ${total} (2 lines each), 3 partitions, CONSUMER_CONCURRENCY=3`);
console.log(`ranking-worker events/s         ${col((r) => r.worker)}`);
console.log(`redis-benchmark -c 3 -P 1 ops/s ${col((r) => r.zincrby)}`);
console.log(`redis-benchmark -c 50 -P 16     ${col((r) => r.pipelined)}`);
console.log(`ratio to -c 3 -P 1              ${col((r) => r.worker / r.zincrby, 2)}`);
console.log(`ratio to -c 50 -P 16            ${col((r) => r.worker / r.pipelined, 3)}`);
writeBenchResults([
  {
    component: 'ranking-worker',
    metric: `events/s vs redis-benchmark ZINCRBY -c 3 -P 1, ${total} events`,
    kind: 'throughput',
    unit: 'events/s',
    value: median(rounds.map((r) => r.worker)),
    anchor: {
      name: 'redis-benchmark ZINCRBY -c 3 -P 1',
      value: median(rounds.map((r) => r.zincrby)),
    },
    ratio: median(rounds.map((r) => r.worker / r.zincrby)),
    target: atLeast(0.2),
  },
  {
    component: 'ranking-worker',
    metric: 'events/s vs redis-benchmark ZINCRBY -c 50 -P 16',
    kind: 'throughput',
    unit: 'events/s',
    value: median(rounds.map((r) => r.worker)),
    anchor: {
      name: 'redis-benchmark ZINCRBY -c 50 -P 16',
      value: median(rounds.map((r) => r.pipelined)),
    },
    ratio: median(rounds.map((r) => r.worker / r.pipelined)),
  },
]);
await h.close();
