/**
 * Why a message could not be encoded or decoded. Every code but REGISTRY_UNAVAILABLE is
 * permanent for that message (a poison message): retrying cannot help, so consumers send
 * it to their dead-letter topic.
 */
export type EventContractErrorCode =
  | 'WRONG_MAGIC_BYTE'
  | 'UNKNOWN_SCHEMA_ID'
  | 'UNKNOWN_EVENT_TYPE'
  | 'INCOMPATIBLE_SCHEMA'
  | 'INVALID_PAYLOAD'
  | 'SCHEMA_NOT_REGISTERED'
  | 'REGISTRY_UNAVAILABLE';

export class EventContractError extends Error {
  override readonly name = 'EventContractError';
  readonly code: EventContractErrorCode;

  constructor(code: EventContractErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }

  /** True when the same bytes can never succeed, whatever is retried. */
  get permanent(): boolean {
    return this.code !== 'REGISTRY_UNAVAILABLE';
  }
}
