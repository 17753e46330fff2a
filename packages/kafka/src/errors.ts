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

// The MySQL/MariaDB error numbers of a deadlock, a lock wait timeout and too many connections,
// as Prisma's driver adapter reports them under a raw query's failure (P2010).
const TRANSIENT_DRIVER_CODES = new Set(['1213', '1205', '1040']);

/**
 * The database's own error number behind a Prisma error from a driver adapter (a raw query's
 * P2010 carries it as `meta.driverAdapterError.cause.originalCode`), if there is one.
 */
export function driverErrorCode(err: unknown): string | undefined {
  const meta = (err as { meta?: { driverAdapterError?: { cause?: { originalCode?: unknown } } } })
    ?.meta;
  const code = meta?.driverAdapterError?.cause?.originalCode;
  return code === undefined ? undefined : String(code);
}

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
    if (TRANSIENT_DRIVER_CODES.has(driverErrorCode(err) ?? '')) return 'transient';
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
