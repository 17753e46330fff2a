import { inTransaction } from '@commerce/db';
import type { Pool } from 'mariadb';
import type { DispatchStore } from '../domain/dispatch-store.ts';
import { enqueueDeadLetters, writeAttempts } from './attempt-log.ts';
import { claimDue } from './claims.ts';
import { updateEndpointHealth } from './endpoint-health.ts';
import { fanOut } from './fan-out.ts';

export interface DispatchStoreOptions {
  /** The dead-letter topic of envelopes (with the deployment's prefix). */
  deadLetterTopic: string;
  /** The circuit breaker's period of continuous failure. */
  circuitOpenAfterMs: number;
}

/** The hot path on the driver pool: each operation one short transaction of a few statements. */
export function createDispatchStore(pool: Pool, options: DispatchStoreOptions): DispatchStore {
  return {
    recordEvents: (events, now) =>
      events.length === 0
        ? Promise.resolve(0)
        : inTransaction(pool, (conn) => fanOut(conn, events, now)),
    claimDue: (input) => inTransaction(pool, (conn) => claimDue(conn, input)),
    async release(deliveries, now) {
      if (deliveries.length === 0) return;
      const seqs = deliveries.map((d) => d.seq);
      await pool.query(
        `UPDATE deliveries SET status = IF(attempts = 0, 'PUBLISHED', 'FAILED'), next_attempt_at = ?
          WHERE status = 'IN_PROGRESS' AND seq IN (${seqs.map(() => '?').join(', ')})`,
        [now, ...seqs],
      );
    },
    async recordAttempts(results, now) {
      if (results.length === 0) return [];
      return inTransaction(pool, async (conn) => {
        // Pipelined: the health statements go out without waiting for the attempts' answers.
        const [, disabled] = await Promise.all([
          writeAttempts(conn, results),
          updateEndpointHealth(conn, results, now, options.circuitOpenAfterMs),
        ]);
        const deadLettered = results.filter((r) => r.decision.status === 'DEAD_LETTER');
        await enqueueDeadLetters(conn, deadLettered, options.deadLetterTopic, now);
        return disabled;
      });
    },
  };
}
