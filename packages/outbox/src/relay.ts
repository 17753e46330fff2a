import { EventEmitter } from 'node:events';
import {
  type BackoffPolicy,
  backoffDelay,
  type EncodedEvent,
  type EventProducer,
  type OutgoingEvent,
} from '@commerce/kafka';
import type { Pool, PoolConnection } from 'mariadb';
import type { Logger } from 'pino';
import { publishableInOrder } from './ordering.ts';
import type { OutboxRow } from './table.ts';

export interface OutboxRelayOptions {
  pool: Pool;
  producer: EventProducer;
  logger: Logger;
  /** Rows claimed per round. */
  batchSize?: number;
  /** How often the relay sweeps for rows nobody woke it for (a crash between commit and wake). */
  sweepIntervalMs?: number;
  /** Wait before a row that failed is tried again; grows with its attempts. */
  retry?: Partial<BackoffPolicy>;
}

export interface OutboxRelayEvents {
  published: [{ count: number; ids: bigint[] }];
  failed: [{ ids: bigint[]; error: unknown }];
}

export interface OutboxStats {
  backlog: number;
  oldestAgeMs: number;
}

/**
 * Publishes outbox rows to Kafka. Each round claims the oldest due rows with
 * `FOR UPDATE SKIP LOCKED` (several relays share the work), publishes those that cannot
 * overtake an earlier row of their key, and marks them published in the same transaction
 * as the claim. A failed round records the error and a retry time on its rows.
 * At least once: a crash after Kafka acknowledged and before the commit re-sends the rows;
 * consumers deduplicate by event id.
 */
export class OutboxRelay extends EventEmitter<OutboxRelayEvents> {
  private readonly options: Required<Omit<OutboxRelayOptions, 'retry'>> & { retry: BackoffPolicy };
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private wanted = false;
  private stopped = true;

  constructor(options: OutboxRelayOptions) {
    super();
    this.options = {
      batchSize: 500,
      sweepIntervalMs: 1_000,
      ...options,
      retry: { initialDelayMs: 500, maxDelayMs: 30_000, jitter: 0.2, ...options.retry },
    };
  }

  start(): void {
    this.stopped = false;
    this.wake();
  }

  /** Asks for a round now (after a commit that wrote outbox rows); rounds never overlap. */
  wake(): void {
    if (this.stopped) return;
    this.wanted = true;
    this.running ??= this.loop().finally(() => {
      this.running = undefined;
    });
  }

  /** Stops sweeping and waits for the round in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private async loop(): Promise<void> {
    clearTimeout(this.timer);
    while (this.wanted && !this.stopped) {
      this.wanted = false;
      try {
        // A full batch means more is probably waiting: go again at once.
        if ((await this.publishRound()) === this.options.batchSize) this.wanted = true;
      } catch (err) {
        this.options.logger.error({ err }, 'outbox round failed');
      }
    }
    if (!this.stopped) this.timer = setTimeout(() => this.wake(), this.options.sweepIntervalMs);
  }

  /** One claim-publish-mark round; returns how many rows it claimed. */
  async publishRound(): Promise<number> {
    const conn = await this.options.pool.getConnection();
    try {
      await conn.beginTransaction();
      const claimed: OutboxRow[] = await conn.query(
        `SELECT id, event_id, event_type, topic, message_key, payload, correlation_id, traceparent, attempts
           FROM outbox_events
          WHERE published_at IS NULL AND next_attempt_at <= NOW(3)
          ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED`,
        [this.options.batchSize],
      );
      if (claimed.length > 0) await this.publishClaimed(conn, claimed);
      await conn.commit();
      return claimed.length;
    } catch (err) {
      await conn.rollback().catch(() => undefined);
      throw err;
    } finally {
      await conn.release();
    }
  }

  private async publishClaimed(conn: PoolConnection, claimed: OutboxRow[]) {
    const encoded = new Map<bigint, EncodedEvent>();
    const unencodable = new Map<bigint, unknown>();
    for (const row of claimed) {
      try {
        encoded.set(row.id, await this.options.producer.encode(toEvent(row)));
      } catch (error) {
        unencodable.set(row.id, error);
      }
    }
    const ready = publishableInOrder(
      claimed,
      await fences(conn, claimed),
      new Set(unencodable.keys()),
    );
    for (const [id, error] of unencodable) await this.recordFailure(conn, claimed, [id], error);
    if (ready.length === 0) return;

    const ids = ready.map((row) => row.id);
    try {
      await this.options.producer.sendEncoded(
        ready.map((row) => encoded.get(row.id) as EncodedEvent),
      );
    } catch (error) {
      await this.recordFailure(conn, claimed, ids, error);
      return;
    }
    await conn.query(
      'UPDATE outbox_events SET published_at = NOW(3), attempts = attempts + 1 WHERE id IN (?)',
      [ids],
    );
    this.emit('published', { count: ids.length, ids });
  }

  private async recordFailure(
    conn: PoolConnection,
    claimed: OutboxRow[],
    ids: bigint[],
    error: unknown,
  ) {
    const attempts =
      1 + Math.max(...claimed.filter((row) => ids.includes(row.id)).map((row) => row.attempts));
    const delayMs = backoffDelay(attempts, this.options.retry);
    const message = (error instanceof Error ? error.message : String(error)).slice(0, 2_000);
    await conn.query(
      `UPDATE outbox_events
          SET attempts = attempts + 1, last_error = ?, next_attempt_at = NOW(3) + INTERVAL ? MICROSECOND
        WHERE id IN (?)`,
      [message, delayMs * 1_000, ids],
    );
    this.options.logger.warn(
      { err: error, rows: ids.length, attempts, retryInMs: delayMs },
      'outbox publish failed',
    );
    this.emit('failed', { ids, error });
  }

  /** Backlog size and the age of the oldest unpublished row (for metrics and /readyz). */
  async stats(): Promise<OutboxStats> {
    const [row] = await this.options.pool.query(
      `SELECT COUNT(*) AS backlog, COALESCE(TIMESTAMPDIFF(MICROSECOND, MIN(created_at), NOW(3)), 0) AS age
         FROM outbox_events WHERE published_at IS NULL`,
    );
    return { backlog: Number(row.backlog), oldestAgeMs: Math.round(Number(row.age) / 1_000) };
  }

  /** Deletes published rows older than `olderThanMs`, a bounded number at a time. */
  async purgePublished(olderThanMs: number, limit = 10_000): Promise<number> {
    const result = await this.options.pool.query(
      'DELETE FROM outbox_events WHERE published_at < NOW(3) - INTERVAL ? MICROSECOND LIMIT ?',
      [olderThanMs * 1_000, limit],
    );
    return Number(result.affectedRows);
  }
}

/**
 * For each claimed key, the id of its earliest unpublished row this relay did not claim:
 * a row another relay holds, or one waiting for its retry time.
 */
async function fences(conn: PoolConnection, claimed: OutboxRow[]): Promise<Map<string, bigint>> {
  const keys = [...new Set(claimed.map((row) => row.message_key))];
  const rows: { message_key: string; fence: bigint }[] = await conn.query(
    `SELECT message_key, MIN(id) AS fence FROM outbox_events
      WHERE published_at IS NULL AND message_key IN (?) AND id NOT IN (?) AND id < ?
      GROUP BY message_key`,
    [
      keys,
      claimed.map((row) => row.id),
      (claimed.at(-1) as OutboxRow).id, // claimed rows come ordered by id,
    ],
  );
  return new Map(rows.map((row) => [row.message_key, BigInt(row.fence)]));
}

function toEvent(row: OutboxRow): OutgoingEvent {
  return {
    topic: row.topic,
    key: row.message_key,
    type: row.event_type as OutgoingEvent['type'],
    payload: JSON.parse(row.payload),
    correlationId: row.correlation_id,
    ...(row.traceparent ? { traceparent: row.traceparent } : {}),
  };
}
