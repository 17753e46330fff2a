import { setTimeout as sleep } from 'node:timers/promises';
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

type TopicSpecs = readonly { name: string; partitions: number }[];

/**
 * Creates the given topics, or grows their partition count, and waits until every
 * partition has a leader. Idempotent: running it again changes nothing. Partitions are
 * never removed (Kafka cannot), and a topic with more partitions than asked is left alone.
 * Right after a topic is created a broker can still answer "This server does not host this
 * topic-partition" (its metadata lags; a known kafkajs pitfall, seen on a loaded CI machine):
 * the whole step is tried again, a few times, since it is idempotent.
 */
export async function ensureTopics(
  admin: Admin,
  specs: TopicSpecs,
  options: CreateTopicsOptions,
): Promise<TopicChange[]> {
  const created = new Set<string>();
  for (let attempt = 1; ; attempt++) {
    try {
      return await ensureOnce(admin, specs, options, created);
    } catch (err) {
      if (!isMetadataLag(err) || attempt >= 8) throw err;
      await sleep(250 * attempt);
    }
  }
}

function isMetadataLag(err: unknown): boolean {
  const type = (err as { type?: unknown })?.type;
  return type === 'UNKNOWN_TOPIC_OR_PARTITION' || type === 'LEADER_NOT_AVAILABLE';
}

/** One attempt; `created` keeps the topics an earlier attempt created, for the report. */
async function ensureOnce(
  admin: Admin,
  specs: TopicSpecs,
  options: CreateTopicsOptions,
  created: Set<string>,
): Promise<TopicChange[]> {
  const existing = new Set(await admin.listTopics());
  const missing = specs.filter((spec) => !existing.has(spec.name));
  for (const { name } of missing) created.add(name);
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
    action: created.has(name)
      ? 'created'
      : toGrow.some((g) => g.name === name)
        ? 'partitions-added'
        : 'unchanged',
  }));
}
