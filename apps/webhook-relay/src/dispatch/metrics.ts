import type { Pool } from 'mariadb';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { AttemptDecision } from '../domain/attempt-outcome.ts';

export interface DispatchMetrics {
  observeAttempt(decision: AttemptDecision, latencyMs: number, lateMs: number): void;
}

/**
 * The relay's metrics: attempts by outcome and resulting state, attempt latency, how late
 * attempts start after their due time, dead letters; and, read from the database at each
 * scrape, the retries waiting and the endpoints disabled.
 */
export function createDispatchMetrics(registry: Registry, pool: Pool): DispatchMetrics {
  const attempts = new Counter({
    name: 'webhook_attempts_total',
    help: 'Delivery attempts by outcome (delivered, http_<status>, error, redirect, gone) and resulting state.',
    labelNames: ['outcome', 'status'],
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'webhook_attempt_duration_seconds',
    help: 'Time from the start of a POST to its response (or failure).',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15],
    registers: [registry],
  });
  const lateness = new Histogram({
    name: 'webhook_attempt_lateness_seconds',
    help: 'How long after its due time an attempt started.',
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5],
    registers: [registry],
  });
  const deadLetters = new Counter({
    name: 'webhook_dead_letters_total',
    help: 'Deliveries given up after their last attempt.',
    registers: [registry],
  });
  new Gauge({
    name: 'webhook_due_retries',
    help: 'Deliveries waiting for a retry (FAILED).',
    registers: [registry],
    async collect() {
      const [row] = await pool.query(
        "SELECT COUNT(*) AS n FROM deliveries WHERE status = 'FAILED'",
      );
      this.set(Number(row?.n ?? 0));
    },
  });
  new Gauge({
    name: 'webhook_endpoints_disabled',
    help: 'Endpoints disabled, by reason (MANUAL, GONE, CIRCUIT_OPEN).',
    labelNames: ['reason'],
    registers: [registry],
    async collect() {
      this.reset();
      const rows: { reason: string; n: number }[] = await pool.query(
        "SELECT disabled_reason AS reason, COUNT(*) AS n FROM endpoints WHERE status = 'DISABLED' GROUP BY disabled_reason",
      );
      for (const row of rows) this.set({ reason: row.reason ?? 'MANUAL' }, Number(row.n));
    },
  });
  return {
    observeAttempt(decision, latencyMs, lateMs) {
      attempts.inc({ outcome: decision.outcome, status: decision.status });
      latency.observe(latencyMs / 1_000);
      lateness.observe(Math.max(0, lateMs) / 1_000);
      if (decision.status === 'DEAD_LETTER') deadLetters.inc();
    },
  };
}
