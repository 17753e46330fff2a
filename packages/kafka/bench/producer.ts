// Producer benchmark: EventProducer (Avro through the registry, headers, acks=all,
// idempotent) against Kafka's ProducerPerformance (256-byte records, acks=all), on the same
// broker and topic, interleaved; prints the median of each side and their ratio.
import { atLeast, writeBenchResults } from '@commerce/testing';
import { CompressionTypes } from 'kafkajs';
import {
  type BenchContext,
  benchContext,
  encodedSize,
  kafkaBrokers,
  type PublishPlan,
  publishAll,
} from './context.ts';
import { producerPerformance, sideBySide } from './perf-tools.ts';

const RECORDS = Number(process.env.BENCH_PRODUCER_RECORDS ?? 200_000);
const ROUNDS = 3;
const RECORD_SIZE = 256;
// The whole run normally takes about a minute; past this something hangs, so give up.
const DEADLINE_MS = 10 * 60_000;

// Tried on the 2-core machine (200k events, best of several interleaved runs):
// 250 to 2000 events per publish() made no difference beyond noise (~39-47k/s), and 2 to 4
// publishes in flight on disjoint keys gave ~5% over one. The producer allows one request
// in flight, so concurrency only overlaps encoding the next batch with waiting for acks.
const PLAN: PublishPlan = { batchSize: 1000, lanes: 4 };

/** Prints the Avro size of the benchmark's events (it varies with the buyer id) and returns the typical one. */
async function valueSize(ctx: BenchContext): Promise<number> {
  const [shortest, typical, longest] = await Promise.all(
    ['user-0-0', 'user-0-42', 'user-3-330'].map((userId) => encodedSize(ctx, userId)),
  );
  console.log(
    `producer: OrderCompleted encodes to ${shortest}-${longest} bytes, typically ${typical} ` +
      `(5-byte wire header included); ProducerPerformance sends ${RECORD_SIZE}-byte values. ` +
      'Ours also carry a key (~10 bytes) and 5 headers (~170 bytes).',
  );
  return typical as number;
}

/** Ours at `plan`, with MB/s counted on Avro values as ProducerPerformance counts its values. */
function ours(ctx: BenchContext, topic: string, bytes: number, plan: PublishPlan) {
  return async () => {
    const msgsPerSec = await publishAll(ctx, topic, RECORDS, plan);
    return { msgsPerSec, mbPerSec: (msgsPerSec * bytes) / 2 ** 20 };
  };
}

/** Ours against theirs on one fresh topic. */
async function compareWithProducerPerformance(ctx: BenchContext, bytes: number) {
  const topic = await ctx.topic();
  return sideBySide(`producer ${RECORDS} msgs`, ROUNDS, ours(ctx, topic, bytes, PLAN), () =>
    producerPerformance({
      brokers: kafkaBrokers.join(','),
      topic,
      records: RECORDS,
      recordSize: RECORD_SIZE,
      timeoutMs: 120_000,
    }),
  );
}

/**
 * GZIP (built into kafkajs) against none, both ours: checks producer.ts's "no compression"
 * choice. On a local broker the network is free, so this shows what gzip costs in CPU.
 */
async function compareGzip(ctx: BenchContext, bytes: number) {
  const topic = await ctx.topic();
  const gzip = ours(ctx, topic, bytes, { ...PLAN, compression: CompressionTypes.GZIP });
  return sideBySide('gzip vs none', ROUNDS, gzip, ours(ctx, topic, bytes, PLAN), ['gzip', 'none']);
}

async function main() {
  const ctx = await benchContext();
  try {
    const bytes = await valueSize(ctx);
    const vsKafka = await compareWithProducerPerformance(ctx, bytes);
    const gzip = await compareGzip(ctx, bytes);
    console.log(
      `RESULT producer: ours ${Math.round(vsKafka.ours)} msgs/s, ProducerPerformance ` +
        `${Math.round(vsKafka.theirs)} msgs/s, ratio ${vsKafka.ratio.toFixed(2)} (target >= 0.25); ` +
        `gzip/none ${gzip.ratio.toFixed(2)}`,
    );
    writeBenchResults([
      {
        component: 'kafka producer',
        metric: `EventProducer.publish, ${RECORDS} events`,
        kind: 'throughput',
        unit: 'msgs/s',
        value: vsKafka.ours,
        anchor: { name: 'ProducerPerformance', value: vsKafka.theirs },
        target: atLeast(0.25),
      },
      {
        component: 'kafka producer',
        metric: 'gzip-compressed batches',
        kind: 'throughput',
        unit: 'msgs/s',
        value: gzip.ours,
        anchor: { name: 'same, uncompressed', value: gzip.theirs },
      },
    ]);
  } finally {
    await ctx.close();
  }
}

setTimeout(() => {
  console.error(`producer benchmark still running after ${DEADLINE_MS / 1000}s: giving up`);
  process.exit(1);
}, DEADLINE_MS).unref();
await main();
