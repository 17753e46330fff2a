import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** Prometheus metrics of a service's consumer; registered in the service's registry. */
export class ConsumerMetrics {
  readonly messages: Counter<'topic' | 'outcome'>;
  readonly handlerSeconds: Histogram<'topic' | 'event_type'>;
  readonly lag: Gauge<'topic' | 'partition'>;

  constructor(registry: Registry) {
    this.messages = new Counter({
      name: 'consumer_messages_total',
      help: 'Messages handled, by outcome: processed, retried, dead_lettered, paused.',
      labelNames: ['topic', 'outcome'],
      registers: [registry],
    });
    this.handlerSeconds = new Histogram({
      name: 'consumer_handler_duration_seconds',
      help: 'Time spent in event handlers.',
      labelNames: ['topic', 'event_type'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    });
    this.lag = new Gauge({
      name: 'consumer_lag_messages',
      help: 'Messages behind the end of the partition, as of the last batch fetched.',
      labelNames: ['topic', 'partition'],
      registers: [registry],
    });
  }
}
