import { uniqueName } from '@commerce/testing';
import type { Admin, Kafka } from 'kafkajs';
import type { Pool } from 'mariadb';

// What a consumer's effect leaves: no unique key, so an effect applied twice shows as two rows.
export const effectsTableSql = `CREATE TABLE effects (
    event_id CHAR(36) NOT NULL,
    member VARCHAR(100) NOT NULL,
    kafka_partition INT NOT NULL,
    applied_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
)`;

export const count = async (pool: Pool, sql: string): Promise<number> => {
  const [row] = await pool.query(sql);
  return Number(Object.values(row as object)[0]);
};

/** Written events without an effect (lost), and events whose effect was applied twice. */
export async function auditEffects(pool: Pool) {
  return {
    written: await count(pool, 'SELECT COUNT(*) FROM outbox_events'),
    lost: await count(
      pool,
      'SELECT COUNT(*) FROM outbox_events o WHERE NOT EXISTS (SELECT 1 FROM effects e WHERE e.event_id = o.event_id)',
    ),
    doubled: await count(
      pool,
      'SELECT COUNT(*) FROM (SELECT event_id FROM effects GROUP BY event_id HAVING COUNT(*) > 1) d',
    ),
    /** Deliveries the event-id dedupe absorbed (allowed by at least once). */
    redelivered: await count(pool, 'SELECT COALESCE(SUM(redeliveries), 0) FROM processed_events'),
  };
}

/** Per member, the partitions whose events it applied after `since` (ms epoch). */
export async function partitionsByMember(
  pool: Pool,
  since: number,
): Promise<Record<string, number[]>> {
  const rows: { member: string; kafka_partition: number }[] = await pool.query(
    `SELECT DISTINCT member, kafka_partition FROM effects WHERE applied_at > FROM_UNIXTIME(${since / 1000}) ORDER BY kafka_partition`,
  );
  const byMember: Record<string, number[]> = {};
  for (const { member, kafka_partition } of rows)
    byMember[member] = [...(byMember[member] ?? []), kafka_partition];
  return byMember;
}

/**
 * Where the outbox rows without an effect are: on the topic (partition@offset: the consumer
 * skipped them) or not (marked published, never in Kafka). For a failing test's message.
 */
export async function whereAreTheLost({
  pool,
  kafka,
  admin: kafkaAdmin,
  topic,
}: {
  pool: Pool;
  kafka: Kafka;
  admin: Admin;
  topic: string;
}): Promise<Record<string, string>> {
  const lost: { event_id: string; id: bigint; attempts: number }[] = await pool.query(
    'SELECT event_id, id, attempts FROM outbox_events o WHERE NOT EXISTS (SELECT 1 FROM effects e WHERE e.event_id = o.event_id) LIMIT 20',
  );
  const found = new Map<string, string>();
  const ends = await kafkaAdmin.fetchTopicOffsets(topic);
  let remaining = ends.reduce((sum, end) => sum + Number(end.high), 0);
  const reader = kafka.consumer({ groupId: uniqueName('faults-reader') });
  await reader.connect();
  await reader.subscribe({ topics: [topic], fromBeginning: true });
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, 60_000);
    void reader.run({
      eachMessage: async ({ partition, message }) => {
        const eventId = message.headers?.['event-id']?.toString();
        if (eventId) found.set(eventId, `${partition}@${message.offset}`);
        if (--remaining <= 0) {
          clearTimeout(timer);
          resolve();
        }
      },
    });
  });
  await reader.disconnect();
  return Object.fromEntries(
    lost.map((row) => [
      `${row.id}:${row.event_id}`,
      `${found.get(row.event_id) ?? 'not on the topic'} (attempts ${row.attempts})`,
    ]),
  );
}
