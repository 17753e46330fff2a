import { TransientError } from '@commerce/kafka';
import type { Pool, PoolConnection } from 'mariadb';
import { aggregate } from '../domain/aggregates.ts';
import { filterFacts } from '../domain/facts.ts';
import type { AnalyticsSink, FactBatch, Facts } from '../domain/model.ts';
import { inTransaction } from './analytics-db.ts';
import { writeAggregates, writeFacts } from './fact-writer.ts';

/**
 * How a batch written again counts once: `event-id` skips events whose facts are already
 * stored (the facts are keyed by event id); `offsets` stores the next offset of each
 * partition and skips records below it (faster to check, but blind to the same event
 * published twice at two offsets, which an outbox relay may do).
 */
export type ExactlyOnceStrategy = 'event-id' | 'offsets';

export interface DatabaseSinkOptions {
  strategy: ExactlyOnceStrategy;
  /** Fault injection for the crash tests: wait this long inside the open transaction. */
  holdTransactionMs?: number;
  /** Runs after each transaction commits (fault injection: exit before Kafka's commit). */
  afterCommit?: () => void;
}

// The facts are the record of what was counted: each fact table's key starts with the
// event id, so "already counted" is three index look-ups, with nothing extra to write.
async function freshByEventId(conn: PoolConnection, { facts }: FactBatch): Promise<Facts> {
  const lookups = (
    [
      ['order_line_facts', facts.orders],
      ['stock_change_facts', facts.stockChanges],
      ['coupon_result_facts', facts.couponResults],
    ] as const
  ).filter(([, rows]) => rows.length > 0);
  if (lookups.length === 0) return facts;
  const seen: { event_id: string }[] = await conn.query(
    lookups
      .map(
        ([table, rows]) =>
          `SELECT event_id FROM ${table} WHERE event_id IN (${rows.map(() => '?').join(', ')})`,
      )
      .join(' UNION ALL '),
    lookups.flatMap(([, rows]) => rows.map((r) => r.eventId)),
  );
  if (seen.length === 0) return facts;
  const done = new Set(seen.map((r) => r.event_id));
  return filterFacts(facts, (f) => !done.has(f.eventId));
}

async function freshByOffset(conn: PoolConnection, { source, facts }: FactBatch): Promise<Facts> {
  const key = [source.consumerGroup, source.topic, source.partition];
  const [row]: { next_offset: number }[] = await conn.query(
    'SELECT next_offset FROM consumer_offsets WHERE consumer_group = ? AND topic = ? AND partition_id = ? FOR UPDATE',
    key,
  );
  await conn.query(
    `INSERT INTO consumer_offsets (consumer_group, topic, partition_id, next_offset) VALUES (?, ?, ?, ?)
     ON DUPLICATE KEY UPDATE next_offset = GREATEST(next_offset, VALUES(next_offset))`,
    [...key, Number(source.lastOffset) + 1],
  );
  const next = row?.next_offset ?? 0;
  return next === 0 ? facts : filterFacts(facts, (f) => Number(f.offset) >= next);
}

/** The default sink: facts and aggregates in the analytics database, one transaction per batch. */
export function createDatabaseSink(pool: Pool, options: DatabaseSinkOptions): AnalyticsSink {
  const fresh = options.strategy === 'event-id' ? freshByEventId : freshByOffset;
  return {
    name: 'database',
    async write(batch) {
      try {
        await inTransaction(pool, async (conn) => {
          const facts = await fresh(conn, batch);
          await writeFacts(conn, facts);
          await writeAggregates(conn, aggregate(facts));
          if (options.holdTransactionMs)
            await new Promise((resolve) => setTimeout(resolve, options.holdTransactionMs));
        });
        options.afterCommit?.();
      } catch (err) {
        // Two members flushing the same event at once (a rebalance): the loser's insert
        // waited for the winner and found its row; the retry sees it and skips it.
        if ((err as { code?: string }).code === 'ER_DUP_ENTRY')
          throw new TransientError('event flushed concurrently; retrying', { cause: err });
        throw err;
      }
    },
  };
}
