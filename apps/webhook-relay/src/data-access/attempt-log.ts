import { randomUUID } from 'node:crypto';
import { insertRows, sqlExecutor } from '@commerce/db';
import type { WebhookAttempt } from '@commerce/events';
import { enqueueEvents } from '@commerce/outbox';
import type { PoolConnection } from 'mariadb';
import type { AttemptResult } from '../domain/dispatch-store.ts';

const marks = (values: readonly unknown[]) => values.map(() => '?').join(', ');

/** `CASE seq WHEN ? THEN ? … END` over the results: one UPDATE sets each delivery its own value. */
function caseBySeq(results: readonly AttemptResult[], value: (r: AttemptResult) => unknown) {
  return {
    sql: `CASE seq ${results.map(() => 'WHEN ? THEN ?').join(' ')} END`,
    values: results.flatMap((r) => [r.delivery.seq, value(r)]),
  };
}

/**
 * One multi-row INSERT of the attempts and one UPDATE … CASE of their deliveries, sent
 * pipelined (one round trip); the caller commits only if both succeeded.
 */
export async function writeAttempts(conn: PoolConnection, results: readonly AttemptResult[]) {
  const inserted = insertRows(
    conn,
    'INSERT INTO attempts (delivery_id, endpoint_id, attempt_no, due_at, started_at, status_code, latency_ms, outcome, error, response_body)',
    results.map(({ delivery, attempt }) => [
      delivery.id,
      delivery.endpointId,
      attempt.attemptNo,
      attempt.dueAt,
      attempt.startedAt,
      attempt.statusCode,
      attempt.latencyMs,
      attempt.outcome,
      attempt.error,
      attempt.responseBody,
    ]),
  );
  const columns = {
    status: (r: AttemptResult) => r.decision.status,
    attempts: (r: AttemptResult) => r.attempt.attemptNo,
    next_attempt_at: (r: AttemptResult) => r.nextAttemptAt,
    last_status_code: (r: AttemptResult) => r.attempt.statusCode,
    last_error: (r: AttemptResult) => r.attempt.error,
    completed_at: (r: AttemptResult) =>
      r.decision.status === 'COMPLETED'
        ? new Date(r.attempt.startedAt.getTime() + r.attempt.latencyMs)
        : null,
  };
  const sets = Object.entries(columns).map(([column, value]) => ({
    column,
    ...caseBySeq(results, value),
  }));
  const seqs = results.map((r) => r.delivery.seq);
  const updated = conn.query(
    `UPDATE deliveries SET ${sets.map((s) => `${s.column} = ${s.sql}`).join(', ')}, updated_at = ?
      WHERE seq IN (${marks(seqs)})`,
    [...sets.flatMap((s) => s.values), new Date(), ...seqs],
  );
  await Promise.all([inserted, updated]);
}

/** The dead-letter envelopes of the flush's DEAD_LETTER deliveries, through the outbox (same transaction). */
export async function enqueueDeadLetters(
  conn: PoolConnection,
  deadLettered: readonly AttemptResult[],
  topic: string,
  now: Date,
): Promise<void> {
  if (deadLettered.length === 0) return;
  const ids = deadLettered.map((r) => r.delivery.id);
  const rows: (WebhookAttempt & { delivery_id: string })[] = await conn.query(
    `SELECT delivery_id, attempt_no AS attemptNo, started_at AS startedAt, status_code AS statusCode,
            latency_ms AS latencyMs, error FROM attempts WHERE delivery_id IN (${marks(ids)})
      ORDER BY delivery_id, id`,
    ids,
  );
  const envelopes = deadLettered.map(({ delivery }) => ({
    topic,
    key: delivery.endpointId,
    type: 'WebhookDeliveryDeadLettered' as const,
    correlationId: delivery.messageId,
    payload: {
      eventId: randomUUID(),
      occurredAt: now.getTime(),
      deliveryId: delivery.id,
      endpointId: delivery.endpointId,
      endpointUrl: delivery.url,
      originalEventType: delivery.eventType,
      originalEventId: delivery.messageId,
      originalEvent: delivery.body,
      attempts: rows
        .filter((row) => row.delivery_id === delivery.id)
        .map((row) => ({
          attemptNo: row.attemptNo,
          startedAt: new Date(row.startedAt).getTime(),
          statusCode: row.statusCode,
          latencyMs: row.latencyMs,
          error: row.error,
        })),
    },
  }));
  await enqueueEvents(sqlExecutor(conn), envelopes);
}
