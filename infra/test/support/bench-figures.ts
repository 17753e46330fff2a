// Figures of every kind for the bench-report tests: met, missed, no target, latency in ms and
// in s, a label that needs escaping.
import { atLeast, atMost, benchFigure } from '@commerce/testing';
import type { BenchRun, ReportMeta } from '../../bench/report-render.ts';

export const producer = benchFigure(
  {
    component: 'kafka producer',
    metric: 'EventProducer.publish',
    kind: 'throughput',
    unit: 'msgs/s',
    value: 50_000,
    anchor: { name: 'ProducerPerformance', value: 200_000 },
    target: atLeast(0.25),
  },
  1.5,
);
export const consumer = benchFigure(
  {
    component: 'kafka consumer',
    metric: 'ConsumerRunner',
    kind: 'throughput',
    unit: 'msgs/s',
    value: 15_000,
    anchor: { name: 'ConsumerPerformance', value: 300_000 },
    target: atLeast(0.3),
  },
  1.5,
);
export const lateness = benchFigure(
  {
    component: 'webhook-relay',
    metric: 'retry lateness p99',
    kind: 'latency',
    unit: 'ms',
    value: 884,
    target: atMost(250),
  },
  2,
);
export const rush = benchFigure(
  {
    component: 'coupon-worker',
    metric: 'rush <to> all NOTIFIED',
    kind: 'latency',
    unit: 's',
    value: 0.1,
    target: atMost(10),
  },
  2,
);
export const untargeted = benchFigure(
  { component: 'gateway', metric: 'a | b', kind: 'throughput', unit: 'req/s', value: 9_000 },
  2,
);

export const run = (figures = [producer, consumer, lateness, rush, untargeted]): BenchRun => ({
  name: 'kafka',
  command: 'pnpm --filter @commerce/kafka bench',
  seconds: 180,
  exitCode: 0,
  loadBefore: 1.2,
  loadAfter: 2.3,
  figures,
});
export const meta: ReportMeta = {
  startedAt: '2026-12-03T15:40:00.000Z',
  quick: true,
  command: 'pnpm bench:report --quick',
  machine: { cpu: 'Some CPU @ 2.0GHz', cores: 2, memoryGiB: 24 },
  versions: { Node: '24.22.3', Kafka: '4.1.2', kafkajs: '2.2.4' },
  loadStart: [1, 2, 3],
  loadEnd: [4, 5, 6],
  seconds: 600,
};
