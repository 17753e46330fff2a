import type { PoolConnection } from 'mariadb';
import type { AttemptResult } from '../domain/dispatch-store.ts';

const marks = (values: readonly unknown[]) => values.map(() => '?').join(', ');

/**
 * The endpoints' side of a flush: a success ends an endpoint's failing run, a failure
 * starts one (failing_since), a 410 disables it (GONE), and a run that lasted
 * `openAfterMs` opens the circuit (CIRCUIT_OPEN). A disabled endpoint's waiting deliveries
 * become PAUSED. Returns the endpoints disabled by this flush.
 */
export async function updateEndpointHealth(
  conn: PoolConnection,
  results: readonly AttemptResult[],
  now: Date,
  openAfterMs: number,
): Promise<string[]> {
  const ids = (kind: string) => [
    ...new Set(
      results.filter((r) => r.decision.endpoint === kind).map((r) => r.delivery.endpointId),
    ),
  ];
  const healthy = ids('healthy');
  const failing = ids('failing').filter((id) => !healthy.includes(id));
  const gone = ids('gone');
  if (healthy.length)
    await conn.query(
      `UPDATE endpoints SET failing_since = NULL WHERE failing_since IS NOT NULL AND id IN (${marks(healthy)})`,
      healthy,
    );
  const disabled: string[] = [];
  if (failing.length) {
    const firstFailure = new Date(
      Math.min(
        ...results
          .filter((r) => r.decision.endpoint === 'failing')
          .map((r) => r.attempt.startedAt.getTime()),
      ),
    );
    await conn.query(
      `UPDATE endpoints SET failing_since = COALESCE(failing_since, ?) WHERE id IN (${marks(failing)})`,
      [firstFailure, ...failing],
    );
    const open: { id: string }[] = await conn.query(
      `SELECT id FROM endpoints WHERE status = 'ENABLED' AND failing_since <= ? AND id IN (${marks(failing)}) FOR UPDATE`,
      [new Date(now.getTime() - openAfterMs), ...failing],
    );
    disabled.push(...open.map((row) => row.id));
    if (open.length)
      await conn.query(
        `UPDATE endpoints SET status = 'DISABLED', disabled_reason = 'CIRCUIT_OPEN', updated_at = ? WHERE id IN (${marks(disabled)})`,
        [now, ...disabled],
      );
  }
  if (gone.length) {
    await conn.query(
      `UPDATE endpoints SET status = 'DISABLED', disabled_reason = 'GONE', updated_at = ? WHERE status = 'ENABLED' AND id IN (${marks(gone)})`,
      [now, ...gone],
    );
    disabled.push(...gone);
  }
  if (disabled.length)
    await conn.query(
      `UPDATE deliveries SET status = 'PAUSED', next_attempt_at = NULL WHERE status IN ('PUBLISHED', 'FAILED') AND endpoint_id IN (${marks(disabled)})`,
      disabled,
    );
  return disabled;
}
