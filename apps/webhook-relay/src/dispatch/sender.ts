import { Agent, request } from 'undici';
import type { PostResult } from '../domain/attempt-outcome.ts';
import { type DestinationPolicy, ipLiteral, refusedRange } from '../domain/destination-policy.ts';
import type { ClaimedDelivery } from '../domain/dispatch-store.ts';
import { guardedLookup } from './guarded-lookup.ts';
import { signedHeaders } from './signer.ts';

export interface SenderOptions {
  policy: DestinationPolicy;
  timeoutMs: number;
  /** Bytes of a response body kept for the attempt log; the rest is not read. */
  maxResponseBytes: number;
  /** Keep-alive connections per origin (the per-endpoint concurrency bounds what is used). */
  connectionsPerOrigin: number;
  userAgent: string;
}

export interface SentAttempt {
  result: PostResult;
  statusCode: number | null;
  error: string | null;
  responseBody: string | null;
}

async function readLimited(body: AsyncIterable<Buffer> & { destroy(): void }, limit: number) {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    chunks.push(chunk);
    size += chunk.length;
    if (size >= limit) {
      body.destroy(); // the rest is never read: a huge answer costs no memory
      break;
    }
  }
  return Buffer.concat(chunks).subarray(0, limit).toString('utf8');
}

const describe = (err: unknown): string => {
  const e = err as {
    code?: string;
    name?: string;
    message?: string;
    cause?: { code?: string; message?: string };
  };
  const code = e.cause?.code ?? e.code ?? e.name ?? 'ERROR';
  return `${code}: ${e.cause?.message ?? e.message ?? String(err)}`.slice(0, 1_000);
};

/**
 * POSTs signed deliveries over one keep-alive agent (a pool per origin). Redirects are not
 * followed; each attempt has one deadline; IP literals are checked here and host names at
 * connection time by the guarded lookup.
 */
export function createSender(options: SenderOptions) {
  const agent = new Agent({
    connections: options.connectionsPerOrigin,
    headersTimeout: options.timeoutMs,
    bodyTimeout: options.timeoutMs,
    keepAliveTimeout: 30_000,
    connect: { lookup: guardedLookup(options.policy), timeout: options.timeoutMs },
  });

  async function send(delivery: ClaimedDelivery, now: Date): Promise<SentAttempt> {
    const url = new URL(delivery.url);
    const literal = ipLiteral(url.hostname);
    const range = literal === null ? null : refusedRange(literal, options.policy);
    if (range !== null) {
      const error = `DESTINATION_FORBIDDEN: ${literal} (${range}) may not receive webhooks`;
      return { result: { kind: 'error', error }, statusCode: null, error, responseBody: null };
    }
    try {
      const response = await request(url, {
        method: 'POST',
        dispatcher: agent,
        body: delivery.body,
        headers: {
          'content-type': 'application/json',
          'user-agent': options.userAgent,
          ...signedHeaders(delivery.id, delivery.body, delivery.secrets, now),
        },
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      const responseBody = await readLimited(response.body, options.maxResponseBytes);
      const retryAfter = response.headers['retry-after'];
      return {
        result: {
          kind: 'response',
          status: response.statusCode,
          retryAfter: typeof retryAfter === 'string' ? retryAfter : null,
        },
        statusCode: response.statusCode,
        error: response.statusCode >= 300 ? `HTTP ${response.statusCode}` : null,
        responseBody,
      };
    } catch (err) {
      const error = describe(err);
      return { result: { kind: 'error', error }, statusCode: null, error, responseBody: null };
    }
  }

  return { send, close: () => agent.close() };
}

export type Sender = ReturnType<typeof createSender>;
