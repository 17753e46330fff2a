import { EventProducer, type EventProducerOptions } from '@commerce/kafka';
import type { Pool } from 'mariadb';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { registerOutboxMetrics } from './metrics.ts';
import { OutboxRelay, type OutboxRelayOptions } from './relay.ts';

export interface OutboxPublisherOptions extends EventProducerOptions {
  /** The pool of the database whose outbox_events table the relay drains. */
  pool: Pool;
  logger: Logger;
  metrics: Registry;
  relay?: Omit<OutboxRelayOptions, 'pool' | 'producer' | 'logger'>;
}

export interface OutboxPublisher {
  producer: EventProducer;
  relay: OutboxRelay;
  /** Stops the relay (its round in flight finishes), then disconnects the producer. */
  close(): Promise<void>;
}

/**
 * What every service that writes events needs: a connected producer and the relay that
 * publishes its outbox, with the backlog metrics. The relay is not started: the service
 * starts it once it is ready to serve (`relay.start()`); from then on it also deletes
 * published rows past their retention (`relay.purge`, 1 h by default), so the table stays
 * bounded.
 */
export async function createOutboxPublisher(
  options: OutboxPublisherOptions,
): Promise<OutboxPublisher> {
  const { pool, logger, metrics, relay: relayOptions, ...producerOptions } = options;
  const producer = new EventProducer(producerOptions);
  await producer.connect();
  const relay = new OutboxRelay({
    ...relayOptions,
    pool,
    producer,
    logger: logger.child({ component: 'outbox' }),
  });
  registerOutboxMetrics(metrics, relay);
  return {
    producer,
    relay,
    async close() {
      await relay.stop();
      await producer.disconnect();
    },
  };
}
