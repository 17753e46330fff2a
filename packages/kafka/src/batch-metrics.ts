import { Histogram, type Registry } from 'prom-client';

/** Metrics of a batch-mode consumer, next to ConsumerMetrics' per-record outcomes and lag. */
export class BatchMetrics {
  readonly records: Histogram<'topic'>;
  readonly flushSeconds: Histogram<'topic'>;

  constructor(registry: Registry) {
    this.records = new Histogram({
      name: 'consumer_batch_records',
      help: 'Records per batch handler call (flush size).',
      labelNames: ['topic'],
      buckets: [1, 10, 50, 100, 250, 500, 1_000, 2_500, 5_000],
      registers: [registry],
    });
    this.flushSeconds = new Histogram({
      name: 'consumer_flush_duration_seconds',
      help: 'Time of one batch handler call (the flush), retries included.',
      labelNames: ['topic'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    });
  }
}
