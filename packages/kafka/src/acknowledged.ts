import { TransientError } from '@commerce/events';
import type { RecordMetadata } from 'kafkajs';

export interface TopicPartition {
  topic: string;
  partition: number;
}

/**
 * The partitions a send put messages on that its response does not acknowledge. kafkajs
 * 2.2.4 can resolve a send without some of them: when a partition's leader moves mid-send to
 * a broker that already answered, its retry goes only to the brokers that had not answered
 * (docs/design.md, "A loss under broker failover (fixed)"), so those messages are never written.
 */
export function unacknowledged(
  sent: Iterable<TopicPartition>,
  acknowledged: readonly RecordMetadata[],
): TopicPartition[] {
  const acked = new Set(
    acknowledged.map(({ topicName, partition }) => `${topicName}/${partition}`),
  );
  const missing = new Map<string, TopicPartition>();
  for (const { topic, partition } of sent) {
    const id = `${topic}/${partition}`;
    if (!acked.has(id)) missing.set(id, { topic, partition });
  }
  return [...missing.values()];
}

/** A send that resolved without acknowledging every partition it wrote to: send it again. */
export class UnacknowledgedSendError extends TransientError {
  readonly partitions: readonly TopicPartition[];

  constructor(partitions: readonly TopicPartition[]) {
    super(
      `the send resolved without an acknowledgement for ${partitions
        .map(({ topic, partition }) => `${topic}[${partition}]`)
        .join(', ')}; its messages may not have been written`,
    );
    this.partitions = partitions;
  }
}
