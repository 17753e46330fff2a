import { PermanentError, TransientError } from '@commerce/kafka';
import type { AnalyticsSink, FactBatch } from '../domain/model.ts';

export interface HttpSinkOptions {
  url: string;
  timeoutMs: number;
  /** Sent as `Authorization: Bearer …` when set. */
  token?: string;
}

/** The batch's key at the platform: the same records from the same partition, the same key. */
export function idempotencyKey({ source }: FactBatch): string {
  return `${source.topic}:${source.partition}:${source.firstOffset}-${source.lastOffset}`;
}

/**
 * The external analytics platform: POSTs each batch as JSON with an Idempotency-Key. A 2xx
 * (or 409: the key was accepted before) is acceptance; 408, 425, 429, 5xx and network
 * failures are transient (the runner retries with backoff, then pauses the partition and
 * holds its position); another 4xx means the platform refuses these records for good.
 */
export function createHttpSink(options: HttpSinkOptions): AnalyticsSink {
  return {
    name: 'http',
    async write(batch) {
      let response: Response;
      try {
        response = await fetch(options.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'idempotency-key': idempotencyKey(batch),
            ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
          },
          body: JSON.stringify(batch),
          signal: AbortSignal.timeout(options.timeoutMs),
        });
      } catch (err) {
        throw new TransientError(`analytics platform unreachable: ${(err as Error).message}`, {
          cause: err,
        });
      }
      await response.body?.cancel();
      if (response.ok || response.status === 409) return;
      if ([408, 425, 429].includes(response.status) || response.status >= 500)
        throw new TransientError(`analytics platform answered ${response.status}`);
      throw new PermanentError(
        'ANALYTICS_PLATFORM_REJECTED',
        `analytics platform refused the batch with ${response.status}`,
      );
    },
  };
}
