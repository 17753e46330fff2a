export type { Kafka } from 'kafkajs';
export * from './backoff.ts';
export * from './client.ts';
export * from './consumer-runner.ts';
export * from './create-topics.ts';
export * from './dead-letter.ts';
export * from './errors.ts';
export * from './producer.ts';
export * from './readiness.ts';
