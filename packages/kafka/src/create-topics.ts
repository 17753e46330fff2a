import type { Admin } from 'kafkajs';

export interface CreateTopicsOptions {
  replicationFactor: number;
  /** Set on every topic when replicated, so acks=all survives the loss of one broker. */
  minInsyncReplicas?: number;
  timeoutMs?: number;
}

export interface TopicChange {
  name: string;
  action: 'created' | 'partitions-added' | 'unchanged';
  partitions: number;
}

/**
 * Creates the given topics, or grows their partition count, and waits until every
 * partition has a leader. Idempotent: running it again changes nothing. Partitions are
 * never removed (Kafka cannot), and a topic with more partitions than asked is left alone.
 */
export async function ensureTopics(
  admin: Admin,
  specs: readonly { name: string; partitions: number }[],
  options: CreateTopicsOptions,
): Promise<TopicChange[]> {
  const existing = new Set(await admin.listTopics());
  const missing = specs.filter((spec) => !existing.has(spec.name));
  const configEntries =
    options.minInsyncReplicas === undefined
      ? []
      : [{ name: 'min.insync.replicas', value: String(options.minInsyncReplicas) }];

  if (missing.length > 0) {
    await admin.createTopics({
      waitForLeaders: true,
      timeout: options.timeoutMs ?? 30_000,
      topics: missing.map(({ name, partitions }) => ({
        topic: name,
        numPartitions: partitions,
        replicationFactor: options.replicationFactor,
        configEntries,
      })),
    });
  }

  const metadata = await admin.fetchTopicMetadata({ topics: specs.map((spec) => spec.name) });
  const partitionCounts = new Map(metadata.topics.map((t) => [t.name, t.partitions.length]));
  const toGrow = specs.filter((spec) => (partitionCounts.get(spec.name) ?? 0) < spec.partitions);
  if (toGrow.length > 0) {
    await admin.createPartitions({
      topicPartitions: toGrow.map(({ name, partitions }) => ({ topic: name, count: partitions })),
    });
  }

  return specs.map(({ name, partitions }) => ({
    name,
    partitions: Math.max(partitions, partitionCounts.get(name) ?? 0),
    action: missing.some((m) => m.name === name)
      ? 'created'
      : toGrow.some((g) => g.name === name)
        ? 'partitions-added'
        : 'unchanged',
  }));
}
