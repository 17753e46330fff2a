import { commonEnv, kafkaNamePrefix, loadConfig } from '@commerce/service';
import { z } from 'zod';

const schema = z.object({
  /** The cluster to create the catalog's topics in (the local stack's by default). */
  KAFKA_BROKERS: commonEnv.KAFKA_BROKERS.prefault('127.0.0.1:9092'),
  /** Copies of each partition: 1 on the one-broker local stack, 3 in the container stack. */
  TOPIC_REPLICATION_FACTOR: z.coerce
    .number({
      error: 'TOPIC_REPLICATION_FACTOR must be a number, e.g. 1 locally or 3 in containers',
    })
    .int()
    .min(1, 'TOPIC_REPLICATION_FACTOR must be at least 1')
    .default(1),
  /** Replicas that must acknowledge a write with acks=all (unset: the broker's default). */
  TOPIC_MIN_INSYNC_REPLICAS: z.coerce
    .number({ error: 'TOPIC_MIN_INSYNC_REPLICAS must be a number, e.g. 2 with 3 replicas' })
    .int()
    .min(1)
    .optional(),
});

export function readTopicsConfig(env: Record<string, string | undefined> = process.env) {
  return loadConfig(schema, env);
}

const deadLetterToolSchema = z.object({
  /** The cluster whose dead letters to read (the local stack's by default). */
  KAFKA_BROKERS: commonEnv.KAFKA_BROKERS.prefault('127.0.0.1:9092'),
  /** For `show`: decode the dead letter's value. */
  SCHEMA_REGISTRY_URL: commonEnv.SCHEMA_REGISTRY_URL.prefault('http://127.0.0.1:8081'),
  /** The name prefix of a shared environment's topics (empty in production). */
  KAFKA_NAME_PREFIX: kafkaNamePrefix,
});

export function readDeadLetterToolConfig(env: Record<string, string | undefined> = process.env) {
  return loadConfig(deadLetterToolSchema, env);
}
