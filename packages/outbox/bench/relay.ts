#!/usr/bin/env node
// Outbox relay throughput: events/s from committed rows to acknowledged Kafka messages,
// side by side with the same events published straight through EventProducer (no table),
// interleaved 3 times in one run. Usage (stack up):
//   pnpm --filter @commerce/outbox bench [events]      default 20000
import { performance } from 'node:perf_hooks';
import { writeBenchResults } from '@commerce/testing';
import { createOutboxHarness } from '../test/harness.ts';

const total = Number(process.argv[2] ?? 20_000);
const batch = 500;
const h = await createOutboxHarness();
const keys = Array.from({ length: 100 }, (_, i) => `user-${i}`);

async function viaOutbox(relays: number): Promise<number> {
  const events = h.requests(keys, total / keys.length);
  for (let i = 0; i < events.length; i += 1_000) await h.write(events.slice(i, i + 1_000));
  const instances = await Promise.all(
    Array.from({ length: relays }, () => h.relay({ batchSize: batch })),
  );
  let published = 0;
  const done = new Promise<void>((resolve) => {
    for (const relay of instances) {
      relay.on('published', ({ count }) => {
        published += count;
        if (published >= events.length) resolve();
      });
    }
  });
  const started = performance.now();
  for (const relay of instances) relay.start();
  await done;
  const seconds = (performance.now() - started) / 1_000;
  await Promise.all(instances.map((relay) => relay.stop()));
  return events.length / seconds;
}

async function direct(): Promise<number> {
  const producer = await h.producer();
  const events = h.requests(keys, total / keys.length);
  const started = performance.now();
  for (let i = 0; i < events.length; i += batch) await producer.publish(events.slice(i, i + batch));
  return events.length / ((performance.now() - started) / 1_000);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const runs = { outbox: [] as number[], outbox2: [] as number[], direct: [] as number[] };
for (let round = 0; round < 3; round++) {
  runs.direct.push(await direct());
  runs.outbox.push(await viaOutbox(1));
  runs.outbox2.push(await viaOutbox(2));
}
const base = median(runs.direct);
console.log(`events per run: ${total}, claim batch ${batch}, ${keys.length} keys`);
for (const [name, values] of Object.entries(runs)) {
  const m = median(values);
  console.log(
    `${name.padEnd(8)} median ${Math.round(m)} events/s  (ratio to direct ${(m / base).toFixed(2)})  runs ${values.map(Math.round).join(', ')}`,
  );
}
writeBenchResults(
  (
    [
      ['outbox', '1 relay'],
      ['outbox2', '2 relays'],
    ] as const
  ).map(([name, label]) => ({
    component: 'outbox relay',
    metric: `${label}, rows to acknowledged messages, ${total} events`,
    kind: 'throughput' as const,
    unit: 'events/s',
    value: median(runs[name]),
    anchor: { name: 'EventProducer direct', value: base },
  })),
);
await h.close();
