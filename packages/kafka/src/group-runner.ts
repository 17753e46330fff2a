import { type ConsumerGroupSpec, type EventCodec, groupNames } from '@commerce/events';
import type { Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';

/** The clients a service hands every consumer runner it starts. */
export interface ConsumerClients {
  kafka: Kafka;
  codec: EventCodec;
  logger: Logger;
  metrics: Registry;
}

/**
 * What every runner of a catalog group starts from: the service's clients, and the group's
 * id, topics and dead-letter topic (with the deployment's name prefix, empty in production).
 */
export function groupRunnerBase(clients: ConsumerClients, group: ConsumerGroupSpec, prefix = '') {
  const { kafka, codec, logger, metrics } = clients;
  return { kafka, codec, logger, metrics, ...groupNames(group, prefix) };
}
