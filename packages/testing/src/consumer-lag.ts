/** The admin calls groupLag needs (kafkajs' Admin has them). */
export interface OffsetsAdmin {
  fetchOffsets(options: {
    groupId: string;
    topics: string[];
  }): Promise<{ topic: string; partitions: { partition: number; offset: string }[] }[]>;
  fetchTopicOffsets(topic: string): Promise<{ partition: number; high: string }[]>;
}

/**
 * Messages of `topics` the group has not committed yet: each partition's end minus the
 * group's committed offset (a partition it never committed counts whole). Topics a test
 * created, so they start at offset 0.
 */
export async function groupLag(
  admin: OffsetsAdmin,
  groupId: string,
  topics: readonly string[],
): Promise<number> {
  const committed = await admin.fetchOffsets({ groupId, topics: [...topics] });
  let lag = 0;
  for (const topic of topics) {
    const partitions = committed.find((t) => t.topic === topic)?.partitions ?? [];
    for (const end of await admin.fetchTopicOffsets(topic)) {
      const done = Number(partitions.find((p) => p.partition === end.partition)?.offset ?? -1);
      lag += Number(end.high) - Math.max(0, done);
    }
  }
  return lag;
}
