import { Kafka, type LogEntry, logLevel } from 'kafkajs';
import type { Logger } from 'pino';

export interface KafkaClientOptions {
  clientId: string;
  brokers: readonly string[];
  logger: Logger;
}

const levels: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

/** A kafkajs client whose own logs go to the service's pino logger. */
export function createKafkaClient({ clientId, brokers, logger }: KafkaClientOptions): Kafka {
  const log = logger.child({ component: 'kafkajs' });
  return new Kafka({
    clientId,
    brokers: [...brokers],
    logLevel: logLevel.WARN,
    logCreator:
      () =>
      ({ namespace, level, log: { message, ...extra } }: LogEntry) =>
        log[levels[level] ?? 'info']({ namespace, ...extra }, message),
    retry: { initialRetryTime: 300, retries: 8 },
  });
}
