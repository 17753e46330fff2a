import type { Admin, Kafka } from 'kafkajs';

/** Polls `check` until it returns true, at most `timeoutMs`; throws `what` otherwise. */
export async function waitFor(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  intervalMs = 250,
): Promise<number> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  return Date.now() - started;
}

/** The node leading partition 0 of `topic` (the stack numbers nodes 1, 2, 3 as their node.id). */
export async function leaderOf(kafka: Kafka, topic: string): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const [metadata] = (await admin.fetchTopicMetadata({ topics: [topic] })).topics;
    const leader = metadata?.partitions.find((p) => p.partitionId === 0)?.leader;
    if (leader === undefined) throw new Error(`no leader for ${topic}/0`);
    return leader;
  } finally {
    await admin.disconnect();
  }
}

/** Messages of `topic` that `groupId` has not committed yet. */
export async function groupLag(admin: Admin, topic: string, groupId: string): Promise<number> {
  const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
  const ends = await admin.fetchTopicOffsets(topic);
  const done = new Map(committed?.partitions.map((p) => [p.partition, Number(p.offset)]));
  return ends.reduce(
    (sum, end) => sum + Number(end.high) - Math.max(0, done.get(end.partition) ?? 0),
    0,
  );
}
