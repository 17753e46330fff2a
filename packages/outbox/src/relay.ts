import { EventEmitter } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import type { BackoffPolicy, EventProducer } from '@commerce/kafka';
import type { Pool, PoolConnection } from 'mariadb';
import type { Logger } from 'pino';
import { claimRows } from './claim.ts';
import { LateSends } from './late-sends.ts';
import {
  deferHeld,
  markPublished,
  recordFailures,
  recordInFlight,
  type SendOutcome,
} from './outcomes.ts';
import { defaultPurge, type PurgeOptions, purgeExpired, purgePublished } from './purge.ts';
import { byTopics, headsOf, prepare, sendWithin, topicsOf } from './send.ts';
import type { OutboxRow } from './table.ts';

export interface OutboxRelayOptions {
  pool: Pool;
  producer: EventProducer;
  logger: Logger;
  /** Rows claimed per round. */
  batchSize?: number;
  /** How often the relay sweeps for rows nobody woke it for (a crash between commit and wake, a retry time). */
  sweepIntervalMs?: number;
  /** Wait before a row that failed is tried again; grows with its attempts, jittered per row. */
  retry?: Partial<BackoffPolicy>;
  /**
   * How long a round waits for Kafka. Then it commits what was acknowledged and leaves slower
   * sends (a topic that does not exist: kafkajs retries it for about 90 s) to finish in the
   * background, so they hold back only their own keys.
   */
  maxRoundWaitMs?: number;
  /** How long the keys of a send still in flight wait before another attempt may send them again. */
  inFlightLeaseMs?: number;
  /** Larger messages fail on their own before the send (the broker's message.max.bytes is 1 MiB). */
  maxMessageBytes?: number;
  /** Deleting published rows after a retention; `false` leaves the table to an operator. */
  purge?: Partial<PurgeOptions> | false;
}

export interface OutboxRelayEvents {
  published: [{ count: number; ids: bigint[] }];
  failed: [{ ids: bigint[]; error: unknown }];
}

export interface OutboxStats {
  backlog: number;
  oldestAgeMs: number;
}

type Settings = Required<Omit<OutboxRelayOptions, 'retry' | 'purge'>> & {
  retry: BackoffPolicy;
  purge: PurgeOptions | false;
};

/**
 * Publishes outbox rows to Kafka. Each round is one transaction: claim the oldest due rows
 * whose key has nothing earlier pending elsewhere (`claimRows`: `FOR UPDATE SKIP LOCKED`, so
 * several relays share the work, each key with one relay at a time), send them, mark them
 * published, commit. A row that fails gets its error and its own retry time; its key waits
 * behind it, other keys go on. Per key, rows reach Kafka in id order, whatever order their
 * transactions committed in. At least once: a crash after Kafka acknowledged and before the
 * commit sends the rows again; consumers deduplicate by event id.
 */
export class OutboxRelay extends EventEmitter<OutboxRelayEvents> {
  private readonly options: Settings;
  private timer: NodeJS.Timeout | undefined;
  private purgeTimer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private purging: Promise<void> | undefined;
  private readonly late = new LateSends();
  private wanted = false;
  private stopped = true;

  constructor(options: OutboxRelayOptions) {
    super();
    this.options = {
      batchSize: 500,
      sweepIntervalMs: 1_000,
      maxRoundWaitMs: 5_000,
      inFlightLeaseMs: 120_000,
      maxMessageBytes: 1_000_000,
      ...options,
      retry: { initialDelayMs: 500, maxDelayMs: 30_000, jitter: 0.2, ...options.retry },
      purge: options.purge === false ? false : { ...defaultPurge, ...options.purge },
    };
  }

  start(): void {
    this.stopped = false;
    this.schedulePurge();
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

  /** Stops sweeping and purging, waits for the round in flight and, briefly, for late sends. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    clearTimeout(this.purgeTimer);
    await Promise.all([this.running, this.purging]);
    await Promise.race([this.late.settled(), sleep(this.options.maxRoundWaitMs)]);
  }

  private async loop(): Promise<void> {
    clearTimeout(this.timer);
    while (this.wanted && !this.stopped) {
      this.wanted = false;
      try {
        // Only progress can make more rows claimable at once: a claim that published
        // nothing (every row failed or waits) leaves the rest to the sweep, not a busy loop.
        const { published, more } = await this.publishRound();
        if (published > 0 && more) this.wanted = true;
      } catch (err) {
        this.options.logger.error({ err }, 'outbox round failed');
      }
    }
    if (!this.stopped) this.timer = setTimeout(() => this.wake(), this.options.sweepIntervalMs);
  }

  /**
   * One claim-send-mark round: how many rows it claimed and published, and whether more
   * may be ready (a full claim, or keys' rows for a second topic left for the next round).
   */
  async publishRound(): Promise<{ claimed: number; published: number; more: boolean }> {
    const { pool, batchSize, inFlightLeaseMs } = this.options;
    const conn = await pool.getConnection();
    try {
      const { claimed, rows } = await claimRows(conn, batchSize, inFlightLeaseMs);
      const outcome = rows.length > 0 ? await this.publishClaimed(conn, rows) : undefined;
      await conn.commit();
      if (outcome) this.report(outcome);
      const more = claimed === batchSize || (outcome?.deferred ?? 0) > 0;
      return { claimed, published: outcome?.published.length ?? 0, more };
    } catch (err) {
      await conn.rollback().catch(() => undefined);
      throw err;
    } finally {
      await conn.release();
    }
  }

  private async publishClaimed(
    conn: PoolConnection,
    rows: OutboxRow[],
  ): Promise<SendOutcome & { deferred: number }> {
    const { producer, maxMessageBytes, maxRoundWaitMs, retry } = this.options;
    const { runs, failures, deferred } = await prepare(rows, producer, maxMessageBytes);
    const groups = byTopics(runs);
    const held = groups.filter((group) => this.late.holdsAny(topicsOf(group)));
    await deferHeld(conn, headsOf(held), maxRoundWaitMs);
    const sent = groups.filter((group) => !held.includes(group));
    const { settled, inFlight } = await sendWithin(producer, sent, maxRoundWaitMs);
    const outcome: SendOutcome = {
      published: settled.flatMap((done) => done.published),
      failures: [...failures, ...settled.flatMap((done) => done.failures)],
    };
    await markPublished(conn, outcome.published);
    await recordFailures(conn, outcome.failures, retry);
    await recordInFlight(
      conn,
      headsOf(inFlight.map(({ group }) => group)),
      `Kafka had not acknowledged after ${maxRoundWaitMs} ms; the send goes on, its keys wait`,
    );
    for (const { group, promise } of inFlight)
      this.late.track(topicsOf(group), this.finishLate(promise));
    return { ...outcome, deferred };
  }

  /** Records the outcome of a send that outlived its round, in a transaction of its own. */
  private finishLate(send: Promise<SendOutcome>): Promise<void> {
    return send
      .then(async (outcome) => {
        const conn = await this.options.pool.getConnection();
        try {
          await conn.beginTransaction();
          await markPublished(conn, outcome.published, true);
          await recordFailures(conn, outcome.failures, this.options.retry, true);
          await conn.commit();
        } finally {
          await conn.release();
        }
        this.report(outcome);
        if (outcome.published.length > 0) this.wake();
      })
      .catch((err: unknown) => this.options.logger.error({ err }, 'outbox late send not recorded'));
  }

  private report({ published, failures }: SendOutcome): void {
    if (published.length > 0) this.emit('published', { count: published.length, ids: published });
    const byError = new Map<unknown, bigint[]>();
    for (const { row, error } of failures)
      byError.set(error, [...(byError.get(error) ?? []), row.id]);
    for (const [error, ids] of byError) {
      this.options.logger.warn({ err: error, rows: ids.length }, 'outbox publish failed');
      this.emit('failed', { ids, error });
    }
  }

  private schedulePurge(): void {
    const { purge, pool, logger } = this.options;
    if (!purge || this.stopped) return;
    this.purgeTimer = setTimeout(() => {
      this.purging = purgeExpired(pool, purge, () => this.stopped)
        .then((deleted) => {
          if (deleted > 0) logger.debug({ deleted }, 'outbox purged published rows');
        })
        .catch((err: unknown) => logger.error({ err }, 'outbox purge failed'))
        .finally(() => {
          this.purging = undefined;
          this.schedulePurge();
        });
    }, purge.intervalMs);
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
  purgePublished(olderThanMs: number, limit = 10_000): Promise<number> {
    return purgePublished(this.options.pool, olderThanMs, limit);
  }
}
