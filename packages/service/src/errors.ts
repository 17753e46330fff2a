/**
 * The one error type of the services' domain code: a stable SCREAMING_SNAKE code the API
 * maps to an HTTP status in one place, a message a client may read, optional details.
 * Domain modules throw it; they never import HTTP or Kafka code.
 */
export class DomainError extends Error {
  override readonly name = 'DomainError';
  readonly code: string;
  readonly details: unknown;

  constructor(code: string, message: string, details?: unknown) {
    super(message);
    this.code = code;
    this.details = details;
  }
}

/** The body of every error response. */
export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
  requestId: string;
}
