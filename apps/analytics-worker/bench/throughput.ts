#!/usr/bin/env node
// analytics-worker throughput, in one run on one set of topics (order-completed,
// product-events, coupon-results of this run, 3 partitions each, N mixed events):
//   noop       the @commerce/kafka ConsumerRunner with a no-op handler per event
//   event-id   analytics-worker, batched flushes, exactly once by event id (the default)
//   offsets    analytics-worker, batched flushes, exactly once by stored offsets
//   per-event  the same facts and sink, one transaction per event, from the per-message
//              ConsumerRunner (commits every second; timed over its first PER_EVENT_SAMPLE)
// Each consumer reads from offset 0 with the group deleted before it, and each analytics
// variant writes into a freshly migrated database. Timed from the first record handled to
// the last. Rounds are interleaved; events/s are medians of the rounds, ratios the median
// of the per-round ratios.
//   pnpm --filter @commerce/analytics-worker bench [events] [rounds]   default 30000 2
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { ConsumerRunner, type EventHandlers, type HandlerContext } from '@commerce/kafka';
import { atLeast, uniqueName, writeBenchResults } from '@commerce/testing';
import { Registry } from 'prom-client';
import { readConfig } from '../src/config.ts';
import { createDeps } from '../src/deps.ts';
import type { AnalyticsEvent } from '../src/domain/model.ts';
import { recordBatch } from '../src/domain/record-batch.ts';
import { migratedDatabase } from '../test/support/database.ts';
import { mixedEvents } from '../test/support/events.ts';
import { createHarness, logger } from '../test/support/harness.ts';

const total = Number(process.argv[2] ?? 30_000);
const rounds = Number(process.argv[3] ?? 2);
const PER_EVENT_SAMPLE = 3_000;
const h = await createHarness({ LOG_LEVEL: 'silent' });
await h.publish(mixedEvents(total, 11));
const topics = (['OrderCompleted', 'ProductStockChanged', 'CouponIssueFailed'] as const).map(
  h.topicOf,
);

function rate(records: number, firstAt: number, lastAt: number) {
  return records / ((lastAt - firstAt) / 1_000);
}

/** A per-message ConsumerRunner on the three topics, a new group; events/s over `records`. */
async function perMessage(handlers: EventHandlers, records: number): Promise<number> {
  const runner = new ConsumerRunner({
    kafka: h.kafka,
    codec: h.codec,
    logger,
    groupId: uniqueName('bench-per-message'),
    topics,
    deadLetterTopic: h.deadLetterTopic,
    onFatal: () => undefined,
    metrics: new Registry(),
    handlers,
  });
  let seen = 0;
  let first = 0;
  const done = new Promise<number>((resolve) =>
    runner.on('processed', () => {
      if (seen++ === 0) first = performance.now();
      if (seen === records) resolve(performance.now());
    }),
  );
  await runner.start();
  const last = await done;
  await runner.stop();
  return rate(records, first, last);
}

const noop = () =>
  perMessage(
    {
      OrderCompleted: async () => undefined,
      ProductStockChanged: async () => undefined,
      CouponIssueSucceeded: async () => undefined,
      CouponIssueFailed: async () => undefined,
    },
    total,
  );

/** The same sink and facts, one transaction per event, from the per-message runner. */
async function perEvent(): Promise<number> {
  const database = await migratedDatabase();
  const config = readConfig({ ...h.env, DATABASE_URL: database.url });
  const deps = await createDeps(config, logger);
  const one = (event: AnalyticsEvent, { topic, partition, offset }: HandlerContext) =>
    recordBatch(
      { sinks: deps.sinks, timeZone: config.ANALYTICS_TIME_ZONE },
      {
        source: {
          consumerGroup: h.groupId,
          topic,
          partition,
          firstOffset: offset,
          lastOffset: offset,
        },
        events: [event],
      },
    );
  try {
    return await perMessage(
      {
        OrderCompleted: (payload, c) =>
          one({ type: 'OrderCompleted', payload, offset: c.offset }, c),
        ProductStockChanged: (payload, c) =>
          one({ type: 'ProductStockChanged', payload, offset: c.offset }, c),
        CouponIssueSucceeded: (payload, c) =>
          one({ type: 'CouponIssueSucceeded', payload, offset: c.offset }, c),
        CouponIssueFailed: (payload, c) =>
          one({ type: 'CouponIssueFailed', payload, offset: c.offset }, c),
      },
      PER_EVENT_SAMPLE,
    );
  } finally {
    await deps.close();
    await database.drop();
  }
}

async function analytics(env: Record<string, string>): Promise<number> {
  const database = await migratedDatabase();
  await h.admin.deleteGroups([h.groupId]).catch(() => undefined);
  const worker = await h.worker({ ...env, DATABASE_URL: database.url, LOG_LEVEL: 'silent' });
  let seen = 0;
  let first = 0;
  const last = await new Promise<number>((resolve) =>
    worker.runner.on('flushed', (flush) => {
      if (seen === 0) first = performance.now() - flush.durationMs;
      seen += flush.records;
      if (seen >= total) resolve(performance.now());
    }),
  );
  await worker.stop();
  await database.drop();
  return rate(seen, first, last);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const results: Record<string, number[]> = {
  noop: [],
  'event-id': [],
  offsets: [],
  'per-event': [],
};
try {
  for (let round = 1; round <= rounds; round++) {
    results.noop?.push(await noop());
    results['event-id']?.push(await analytics({ EXACTLY_ONCE_STRATEGY: 'event-id' }));
    results.offsets?.push(await analytics({ EXACTLY_ONCE_STRATEGY: 'offsets' }));
    results['per-event']?.push(await perEvent());
    console.log(
      `round ${round}: ${Object.entries(results)
        .map(([k, v]) => `${k} ${Math.round(v.at(-1) ?? 0)} events/s`)
        .join(', ')}`,
    );
  }
  const m = Object.fromEntries(Object.entries(results).map(([k, v]) => [k, median(v)]));
  // Ratios per round (both sides measured back to back), then their median: the machine
  // is shared, and its load drifts between rounds more than between neighbours.
  const ratio = (a: string, b: string) =>
    median((results[a] ?? []).map((x, i) => x / (results[b]?.[i] ?? Number.NaN)));
  console.log(
    `load: ${cpus().length} cores, load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}; ${total} events over 3 topics × 3 partitions; ${rounds} rounds (medians)`,
  );
  console.log(
    `RESULT exactly once: event-id ${Math.round(m['event-id'] ?? 0)} events/s, offsets ${Math.round(m.offsets ?? 0)} events/s (event-id ÷ offsets per round: ${ratio('event-id', 'offsets').toFixed(2)})`,
  );
  console.log(
    `RESULT batched ÷ one transaction per event: ${Math.round(m['event-id'] ?? 0)} vs ${Math.round(m['per-event'] ?? 0)} events/s, ratio ${ratio('event-id', 'per-event').toFixed(1)} (target ≥ 5)`,
  );
  console.log(
    `RESULT analytics-worker ÷ no-op runner: ${Math.round(m['event-id'] ?? 0)} vs ${Math.round(m.noop ?? 0)} events/s, ratio ${ratio('event-id', 'noop').toFixed(2)} (target ≥ 0.3)`,
  );
  const eventId = m['event-id'] ?? Number.NaN;
  writeBenchResults([
    {
      component: 'analytics-worker',
      metric: `batched flushes (event-id) vs one transaction per event, ${total} events`,
      kind: 'throughput',
      unit: 'events/s',
      value: eventId,
      anchor: { name: 'one transaction per event', value: m['per-event'] ?? Number.NaN },
      ratio: ratio('event-id', 'per-event'),
      target: atLeast(5),
    },
    {
      component: 'analytics-worker',
      metric: 'analytics-worker vs no-op ConsumerRunner, same topics',
      kind: 'throughput',
      unit: 'events/s',
      value: eventId,
      anchor: { name: 'no-op ConsumerRunner', value: m.noop ?? Number.NaN },
      ratio: ratio('event-id', 'noop'),
      target: atLeast(0.3),
    },
    {
      component: 'analytics-worker',
      metric: 'exactly once by event id vs by stored offsets',
      kind: 'throughput',
      unit: 'events/s',
      value: eventId,
      anchor: { name: 'stored offsets', value: m.offsets ?? Number.NaN },
      ratio: ratio('event-id', 'offsets'),
    },
  ]);
} finally {
  await h.close();
}
