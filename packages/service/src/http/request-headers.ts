/**
 * Incoming tracing headers, taken only when they are safe: a client or a gateway may send
 * anything, and these values reach logs, database rows and Kafka headers.
 */

/** Printable id characters only, at most 100 (the request log's column is that wide). */
const SAFE_REQUEST_ID = /^[A-Za-z0-9._:@/+=-]{1,100}$/;

/** The client's X-Request-Id when it is a safe id; otherwise undefined (a fresh one is made). */
export function safeRequestId(header: string | string[] | undefined): string | undefined {
  return typeof header === 'string' && SAFE_REQUEST_ID.test(header) ? header : undefined;
}

// W3C Trace Context, level 1: version-traceid-parentid-flags in lowercase hex. Version ff is
// invalid; a later version may append fields, so only version 00 must end after the flags.
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;
const ZEROS = /^0+$/;

/** The traceparent header when it is valid per W3C Trace Context; otherwise undefined (ignored). */
export function validTraceparent(header: string | string[] | undefined): string | undefined {
  if (typeof header !== 'string' || header.length > 512) return undefined;
  const match = TRACEPARENT.exec(header);
  if (!match) return undefined;
  const [, version, traceId, parentId, , rest] = match as unknown as string[];
  if (version === 'ff' || (version === '00' && rest !== undefined)) return undefined;
  if (ZEROS.test(traceId as string) || ZEROS.test(parentId as string)) return undefined;
  return version === '00' ? header : header.slice(0, 55);
}
