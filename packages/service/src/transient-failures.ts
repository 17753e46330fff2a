/*
 * Which failures mean "a dependency is away, try again": the consumer runner retries them
 * (@commerce/kafka's classifyFailure) and the HTTP shell answers them 503 instead of 500.
 */

// Error codes of the drivers the services use that mean "try again": connections lost or
// refused, deadlocks and lock waits (MySQL/MariaDB), Prisma's own.
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

// The error numbers that mean "try again", behind a Prisma error from the MariaDB driver
// adapter or as the `errno` of the mariadb connector's own SqlError (the driver pools of the
// hot paths, whose `code` is a name such as ER_CMD_CONNECTION_CLOSED): the server's deadlock
// (1213), lock wait timeout (1205), too many connections (1040), shutdown in progress
// (1053); the connector's own for a server that cannot be reached or went away (45001
// closed, 45009 socket closed, 45012 connect timeout, 45013 closed during a command, 45019
// socket error, 45026 socket timeout, 45028 no connection from the pool in time, 45039
// initial timeout). A stopped database shows as these.
const TRANSIENT_DRIVER_CODES = new Set([
  '1213',
  '1205',
  '1040',
  '1053',
  '45001',
  '45009',
  '45012',
  '45013',
  '45019',
  '45026',
  '45028',
  '45039',
]);

type DriverAdapterFailure = { name?: unknown; cause?: { originalCode?: unknown } };

/**
 * The database's own error number behind a failure of a Prisma driver adapter, if there is
 * one. Prisma's errors carry the adapter's error as `meta.driverAdapterError`; a COMMIT or
 * ROLLBACK that fails (the socket closed under it) rejects with the adapter's error itself,
 * unwrapped. Either way the number is its `cause.originalCode`.
 */
export function driverErrorCode(err: unknown): string | undefined {
  const failure = err as
    | (DriverAdapterFailure & { meta?: { driverAdapterError?: DriverAdapterFailure } })
    | undefined;
  const adapterError =
    failure?.meta?.driverAdapterError ??
    (failure?.name === 'DriverAdapterError' ? failure : undefined);
  const code = adapterError?.cause?.originalCode;
  return code === undefined ? undefined : String(code);
}

/** A failure of a dependency (database, Kafka, network) that may pass if tried again. */
export function isTransientFailure(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const { code, errno, retriable, name } = err as {
    code?: unknown;
    errno?: unknown;
    retriable?: unknown;
    name?: unknown;
  };
  if (typeof code === 'string' && TRANSIENT_CODES.has(code)) return true;
  if (TRANSIENT_DRIVER_CODES.has(driverErrorCode(err) ?? '')) return true;
  if (typeof errno === 'number' && TRANSIENT_DRIVER_CODES.has(String(errno))) return true;
  return retriable === true || (typeof name === 'string' && name.startsWith('KafkaJS'));
}
