import { EventContractError } from '@commerce/events';
import { describe, expect, it } from 'vitest';
import {
  classifyFailure,
  driverErrorCode,
  errorCode,
  PermanentError,
  TransientError,
} from './errors.ts';

/** A raw query's failure as Prisma's driver adapter reports it (P2010, the server's error number inside). */
const prismaRawFailure = (originalCode: string) =>
  Object.assign(new Error('Raw query failed'), {
    code: 'P2010',
    meta: { driverAdapterError: { name: 'DriverAdapterError', cause: { originalCode } } },
  });

/** A COMMIT whose socket closed: the driver adapter's own error, not wrapped by Prisma. */
const adapterCommitFailure = (originalCode: string) =>
  Object.assign(new Error('socket has unexpectedly been closed'), {
    name: 'DriverAdapterError',
    cause: { originalCode, kind: 'mysql', code: Number(originalCode) },
  });

/** A failure of the mariadb connector itself (a driver pool's query), as its SqlError carries it. */
const driverFailure = (code: string, errno: number) =>
  Object.assign(new Error(`(no: ${errno}) failed`), { name: 'SqlError', code, errno, fatal: true });

describe('classifyFailure', () => {
  it.each([
    [new PermanentError('OUT_OF_RANGE', 'x'), 'permanent'],
    [new EventContractError('WRONG_MAGIC_BYTE', 'x'), 'permanent'],
    [new EventContractError('REGISTRY_UNAVAILABLE', 'x'), 'transient'],
    [new TransientError('x'), 'transient'],
    [Object.assign(new Error('deadlock'), { code: 'ER_LOCK_DEADLOCK' }), 'transient'],
    [Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }), 'transient'],
    [Object.assign(new Error('transaction timed out'), { code: 'P2028' }), 'transient'],
    [prismaRawFailure('1213'), 'transient'],
    [prismaRawFailure('1205'), 'transient'],
    [prismaRawFailure('1064'), 'unknown'],
    [prismaRawFailure('45028'), 'transient'], // the database stopped: no connection in time
    [prismaRawFailure('45009'), 'transient'],
    [adapterCommitFailure('45009'), 'transient'], // the database stopped during COMMIT
    [adapterCommitFailure('1064'), 'unknown'],
    // The mariadb connector's own errors (driver pools): a name as code, the number as errno.
    [driverFailure('ER_SOCKET_UNEXPECTED_CLOSE', 45009), 'transient'],
    [driverFailure('ER_CONNECTION_ALREADY_CLOSED', 45001), 'transient'],
    [driverFailure('ER_SERVER_SHUTDOWN', 1053), 'transient'],
    [driverFailure('ER_PARSE_ERROR', 1064), 'unknown'],
    [Object.assign(new Error('kafka'), { name: 'KafkaJSConnectionError' }), 'transient'],
    [new TypeError('undefined is not a function'), 'unknown'],
    ['a string', 'unknown'],
  ] as const)('%s is %s', (err, kind) => {
    expect(classifyFailure(err)).toBe(kind);
  });

  it('names failures by their code, else their class', () => {
    expect(errorCode(new PermanentError('INVALID_SEQUENCE', 'x'))).toBe('INVALID_SEQUENCE');
    expect(errorCode(new TypeError('x'))).toBe('TypeError');
    expect(driverErrorCode(prismaRawFailure('1062'))).toBe('1062');
    expect(driverErrorCode(adapterCommitFailure('1062'))).toBe('1062');
    expect(driverErrorCode(new Error('x'))).toBeUndefined();
  });
});
