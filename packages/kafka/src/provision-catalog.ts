import { allTopicSpecs, registerAll, subjectSchemas } from '@commerce/events';
import { Kafka, logLevel } from 'kafkajs';
import { ensureTopics } from './create-topics.ts';

/**
 * Makes a broker ready for every service at once: each topic of the catalog created
 * (unreplicated) and each event schema registered. What the topic and schema jobs do for a
 * deployment, in one call for a test's or a benchmark's broker of its own.
 */
export async function provisionCatalog(brokers: readonly string[], schemaRegistryUrl: string) {
  const admin = new Kafka({
    clientId: 'provision-catalog',
    brokers: [...brokers],
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  try {
    await ensureTopics(admin, allTopicSpecs(), { replicationFactor: 1 });
  } finally {
    await admin.disconnect();
  }
  await registerAll(schemaRegistryUrl, subjectSchemas());
}
