/*
 * How a handler says why it failed, without knowing who runs it: the Kafka consumer runner
 * maps these to a dead letter (permanent) or a retry (transient); domain code throws them.
 */

/** A failure that retrying the same message cannot fix: the message goes to the dead-letter topic. */
export class PermanentError extends Error {
  override readonly name = 'PermanentError';
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** A failure of something outside the message (database, network) that may pass: retry later. */
export class TransientError extends Error {
  override readonly name = 'TransientError';
}
