import { EventContractError, PermanentError, TransientError } from '@commerce/events';
import { driverErrorCode, isTransientFailure } from '@commerce/service';

// The failure kinds live with the contracts (domain code throws them); the runner maps them here.
export { driverErrorCode, PermanentError, TransientError };

export type FailureKind = 'permanent' | 'transient' | 'unknown';

/**
 * How the consumer treats a failure: permanent → dead letter, transient → retry with
 * backoff, unknown (a bug) → stop so the process restarts, with the message uncommitted.
 */
export function classifyFailure(err: unknown): FailureKind {
  if (err instanceof PermanentError) return 'permanent';
  if (err instanceof EventContractError) return err.permanent ? 'permanent' : 'transient';
  if (err instanceof TransientError || isTransientFailure(err)) return 'transient';
  return 'unknown';
}

export function errorCode(err: unknown): string {
  if (typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string')
    return err.code;
  return err instanceof Error ? err.name : 'UNKNOWN';
}
