/** The admin calls these need (kafkajs' Admin has them). */
export interface OffsetsAdmin {
  fetchOffsets(options: {
    groupId: string;
    topics: string[];
  }): Promise<{ topic: string; partitions: { partition: number; offset: string }[] }[]>;
  fetchTopicOffsets(topic: string): Promise<{ partition: number; high: string }[]>;
}

export interface PartitionOffsets {
  topic: string;
  partition: number;
  /** The group's committed offset: 0 when it never committed (topics a test created start at 0). */
  committed: number;
  end: number;
}

/** Every partition of `topics`: the group's committed offset and the partition's end. */
export async function partitionOffsets(
  admin: OffsetsAdmin,
  groupId: string,
  topics: readonly string[],
): Promise<PartitionOffsets[]> {
  const committed = await admin.fetchOffsets({ groupId, topics: [...topics] });
  const offsets: PartitionOffsets[] = [];
  for (const topic of topics) {
    const partitions = committed.find((t) => t.topic === topic)?.partitions ?? [];
    for (const end of await admin.fetchTopicOffsets(topic)) {
      const done = Number(partitions.find((p) => p.partition === end.partition)?.offset ?? -1);
      offsets.push({
        topic,
        partition: end.partition,
        committed: Math.max(0, done),
        end: Number(end.high),
      });
    }
  }
  return offsets;
}

/** Messages of `topics` the group has not committed yet (a partition it never committed counts whole). */
export async function groupLag(
  admin: OffsetsAdmin,
  groupId: string,
  topics: readonly string[],
): Promise<number> {
  let lag = 0;
  for (const p of await partitionOffsets(admin, groupId, topics)) lag += p.end - p.committed;
  return lag;
}
