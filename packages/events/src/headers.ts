import { randomFillSync } from 'node:crypto';

/** Header names every message carries (values are UTF-8 strings). */
export const headerNames = {
  eventId: 'event-id',
  eventType: 'event-type',
  correlationId: 'correlation-id',
  traceparent: 'traceparent',
  producer: 'producer',
} as const;

export interface EventHeaders {
  eventId: string;
  eventType: string;
  /** Ties together everything caused by one outside request (the HTTP X-Request-Id). */
  correlationId: string;
  /** W3C Trace Context `traceparent` of the span that produced the event. */
  traceparent: string;
  /** The service that produced the event. */
  producer: string;
}

export function toKafkaHeaders(headers: EventHeaders): Record<string, string> {
  return Object.fromEntries(
    (Object.keys(headerNames) as (keyof EventHeaders)[]).map((field) => [
      headerNames[field],
      headers[field],
    ]),
  );
}

/** Reads the event headers of a message; absent ones are undefined (poison messages may lack them). */
export function fromKafkaHeaders(
  raw: Record<string, Buffer | string | (Buffer | string)[] | undefined> | undefined,
): Partial<EventHeaders> {
  const read = (name: string) => {
    const value = raw?.[name];
    const first = Array.isArray(value) ? value[0] : value;
    return first === undefined ? undefined : first.toString();
  };
  const result: Partial<EventHeaders> = {};
  for (const field of Object.keys(headerNames) as (keyof EventHeaders)[]) {
    const value = read(headerNames[field]);
    if (value !== undefined) result[field] = value;
  }
  return result;
}

// Ids are cut from a pool of random bytes refilled in one call, as randomUUID does: two
// randomBytes() calls per message cost ~15% of the producer's CPU (docs/benchmarks.md).
const pool = Buffer.alloc(4_096);
let poolOffset = pool.length;
function randomHex(bytes: number): string {
  if (poolOffset + bytes > pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const hex = pool.toString('hex', poolOffset, poolOffset + bytes);
  poolOffset += bytes;
  return hex;
}

/** A new W3C traceparent: version 00, random trace and span ids, sampled. */
export function newTraceparent(traceId: string = randomHex(16)): string {
  return `00-${traceId}-${randomHex(8)}-01`;
}

/** A child span of `parent` in the same trace; a new trace when `parent` is missing or malformed. */
export function childTraceparent(parent: string | undefined): string {
  const match = parent?.match(/^00-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/);
  return newTraceparent(match?.[1]);
}
