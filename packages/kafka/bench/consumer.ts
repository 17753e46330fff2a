// Consumer benchmark: ConsumerRunner (decode through the registry, dispatch, commits after
// the handler) with a no-op handler, against Kafka's ConsumerPerformance, both reading the
// same pre-produced topic from the beginning with a new group per run, interleaved.
import { atLeast, writeBenchResults } from '@commerce/testing';
import { Registry } from 'prom-client';
import { ConsumerRunner } from '../src/consumer-runner.ts';
import {
  type BenchContext,
  benchContext,
  encodedSize,
  kafkaBrokers,
  logger,
  publishAll,
} from './context.ts';
import { consumerPerformance, sideBySide, type Throughput } from './perf-tools.ts';

const MESSAGES = Number(process.env.BENCH_CONSUMER_MESSAGES ?? 200_000);
const ROUNDS = 3;
// One run reads 200k messages in a few seconds; a stuck group must not hang the script.
const RUN_TIMEOUT_MS = 120_000;
const DEADLINE_MS = 10 * 60_000;

/**
 * Ours: the time from start() (connect, join, first fetch included, as in ConsumerPerformance's
 * nMsg.sec) until the runner has reported MESSAGES 'processed' events. The runner is set up
 * as a service would: defaults for commits and retries, metrics on.
 */
async function runOurs(ctx: BenchContext, topic: string, bytes: number): Promise<Throughput> {
  const runner = new ConsumerRunner({
    kafka: ctx.kafka,
    codec: ctx.codec,
    groupId: ctx.group('bench-ours'),
    topics: [topic],
    deadLetterTopic: `${topic}-dlq`,
    handlers: { OrderCompleted: async () => undefined },
    logger,
    onFatal: () => undefined,
    partitionsConsumedConcurrently: 3,
    metrics: new Registry(),
  });
  let processed = 0;
  let timer: NodeJS.Timeout | undefined;
  const done = new Promise<void>((resolve, reject) => {
    runner.on('processed', () => {
      if (++processed === MESSAGES) resolve();
    });
    runner.on('dead-lettered', ({ error }) => reject(error));
    runner.on('fatal', reject);
    timer = setTimeout(
      () => reject(new Error(`ours read ${processed}/${MESSAGES} in ${RUN_TIMEOUT_MS} ms`)),
      RUN_TIMEOUT_MS,
    );
  });
  done.catch(() => undefined); // a failure during start() is reported by `await done` below
  try {
    const started = performance.now();
    await runner.start();
    await done;
    const msgsPerSec = MESSAGES / ((performance.now() - started) / 1000);
    return { msgsPerSec, mbPerSec: (msgsPerSec * bytes) / 2 ** 20 };
  } finally {
    clearTimeout(timer);
    await runner.stop();
  }
}

/** Fills a fresh topic with MESSAGES events through EventProducer: valid wire-format Avro. */
async function prepareTopic(ctx: BenchContext): Promise<string> {
  const topic = await ctx.topic();
  const rate = await publishAll(ctx, topic, MESSAGES, { batchSize: 1000, lanes: 4 });
  console.log(`consumer: ${MESSAGES} OrderCompleted events written (${Math.round(rate)} msgs/s)`);
  return topic;
}

async function main() {
  const ctx = await benchContext();
  try {
    const topic = await prepareTopic(ctx);
    // MB/s of ours counts Avro values only (ConsumerPerformance adds keys): msgs/s is the figure.
    const bytes = await encodedSize(ctx);
    const result = await sideBySide(
      `consumer ${MESSAGES} msgs`,
      ROUNDS,
      () => runOurs(ctx, topic, bytes),
      () =>
        consumerPerformance({
          brokers: kafkaBrokers.join(','),
          topic,
          messages: MESSAGES,
          group: ctx.group('bench-theirs'),
          timeoutMs: RUN_TIMEOUT_MS,
        }),
    );
    console.log(
      `RESULT consumer: ours ${Math.round(result.ours)} msgs/s, ConsumerPerformance ` +
        `${Math.round(result.theirs)} msgs/s, ratio ${result.ratio.toFixed(2)} (target >= 0.30)`,
    );
    writeBenchResults([
      {
        component: 'kafka consumer',
        metric: `ConsumerRunner, no-op handler, ${MESSAGES} events`,
        kind: 'throughput',
        unit: 'msgs/s',
        value: result.ours,
        anchor: { name: 'ConsumerPerformance', value: result.theirs },
        target: atLeast(0.3),
      },
    ]);
  } finally {
    await ctx.close();
  }
}

setTimeout(() => {
  console.error(`consumer benchmark still running after ${DEADLINE_MS / 1000}s: giving up`);
  process.exit(1);
}, DEADLINE_MS).unref();
await main();
