#!/usr/bin/env node
// Creates every topic of the catalog (idempotent). Reads KAFKA_BROKERS,
// TOPIC_REPLICATION_FACTOR (default 1) and TOPIC_MIN_INSYNC_REPLICAS (default: unset).
import { allTopicSpecs } from '@commerce/events';
import { Kafka, logLevel } from 'kafkajs';
import { ensureTopics } from '../create-topics.ts';
import { readTopicsConfig } from './config.ts';

let config: ReturnType<typeof readTopicsConfig>;
try {
  config = readTopicsConfig();
} catch (err) {
  console.error((err as Error).message);
  process.exit(2);
}
const brokers = config.KAFKA_BROKERS;
const replicationFactor = config.TOPIC_REPLICATION_FACTOR;
const minInsync = config.TOPIC_MIN_INSYNC_REPLICAS;

const admin = new Kafka({ clientId: 'commerce-topics', brokers, logLevel: logLevel.WARN }).admin();
try {
  await admin.connect();
  const changes = await ensureTopics(admin, allTopicSpecs(), {
    replicationFactor,
    ...(minInsync === undefined ? {} : { minInsyncReplicas: minInsync }),
  });
  for (const change of changes) {
    console.log(`${change.action.padEnd(16)} ${change.name} (${change.partitions} partitions)`);
  }
} catch (err) {
  console.error(`creating topics on ${brokers.join(',')} failed:`, err);
  process.exitCode = 1;
} finally {
  await admin.disconnect();
}
