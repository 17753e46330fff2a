#!/usr/bin/env node
import { allTopicSpecs } from '@commerce/events';
// Creates every topic of the catalog (idempotent). Reads KAFKA_BROKERS,
// TOPIC_REPLICATION_FACTOR (default 1) and TOPIC_MIN_INSYNC_REPLICAS (default: unset).
import { Kafka, logLevel } from 'kafkajs';
import { ensureTopics } from '../create-topics.ts';

const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const replicationFactor = Number(process.env.TOPIC_REPLICATION_FACTOR ?? '1');
const minInsync = process.env.TOPIC_MIN_INSYNC_REPLICAS;
if (!Number.isInteger(replicationFactor) || replicationFactor < 1) {
  console.error(
    'TOPIC_REPLICATION_FACTOR must be a whole number >= 1, e.g. 1 locally or 3 in containers',
  );
  process.exit(2);
}

const admin = new Kafka({ clientId: 'commerce-topics', brokers, logLevel: logLevel.WARN }).admin();
try {
  await admin.connect();
  const changes = await ensureTopics(admin, allTopicSpecs(), {
    replicationFactor,
    ...(minInsync === undefined ? {} : { minInsyncReplicas: Number(minInsync) }),
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
