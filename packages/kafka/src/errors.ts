import { EventContractError, PermanentError, TransientError } from '@commerce/events';

// The failure kinds live with the contracts (domain code throws them); the runner maps them here.
export { PermanentError, TransientError };

export type FailureKind = 'permanent' | 'transient' | 'unknown';

// Error codes of the drivers the services use that mean "try again": connections lost or
// refused, deadlocks and lock waits (MySQL/MariaDB), Kafka's own retriable errors.
const TRANSIENT_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ER_LOCK_DEADLOCK',
  'ER_LOCK_WAIT_TIMEOUT',
  'ER_CON_COUNT_ERROR',
  'ER_GET_CONNECTION_TIMEOUT',
  'P1001', // Prisma: cannot reach the database
  'P1017', // Prisma: server closed the connection
  'P2028', // Prisma: transaction API error (its timeout: a busy pool or a long lock wait)
  'P2034', // Prisma: write conflict or deadlock, retry the transaction
]);

/**
 * How the consumer treats a failure: permanent → dead letter, transient → retry with
 * backoff, unknown (a bug) → stop so the process restarts, with the message uncommitted.
 */
export function classifyFailure(err: unknown): FailureKind {
  if (err instanceof PermanentError) return 'permanent';
  if (err instanceof EventContractError) return err.permanent ? 'permanent' : 'transient';
  if (err instanceof TransientError) return 'transient';
  if (typeof err === 'object' && err !== null) {
    const { code, retriable, name } = err as {
      code?: unknown;
      retriable?: unknown;
      name?: unknown;
    };
    if (typeof code === 'string' && TRANSIENT_CODES.has(code)) return 'transient';
    if (retriable === true || (typeof name === 'string' && name.startsWith('KafkaJS')))
      return 'transient';
  }
  return 'unknown';
}

export function errorCode(err: unknown): string {
  if (typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string')
    return err.code;
  return err instanceof Error ? err.name : 'UNKNOWN';
}
