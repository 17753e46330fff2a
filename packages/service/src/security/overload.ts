import underPressure from '@fastify/under-pressure';
import type { FastifyInstance } from 'fastify';
import { DomainError } from '../errors.ts';

export interface OverloadSettings {
  /** Mean event-loop delay above which requests are shed; 0 turns the check off. */
  maxEventLoopDelayMs: number;
  /** Heap in use above which requests are shed; 0 turns the check off. */
  maxHeapUsedBytes: number;
  retryAfterSeconds: number;
  /** How often the load is sampled (under-pressure's default: every second). */
  sampleIntervalMs?: number;
}

/** Routes that answer even under pressure: liveness must not fail because of load. */
const ALWAYS_ANSWERED = new Set(['/healthz', '/metrics']);

/**
 * Sheds load with @fastify/under-pressure: while the event loop lags or the heap is over its
 * limit, every request is answered 503 OVERLOADED with Retry-After before any work starts
 * (so nothing is accepted and then lost) and the process recovers instead of degrading.
 */
export async function installOverloadShedding(
  app: FastifyInstance,
  settings: OverloadSettings,
): Promise<void> {
  await app.register(underPressure, {
    maxEventLoopDelay: settings.maxEventLoopDelayMs,
    maxHeapUsedBytes: settings.maxHeapUsedBytes,
    retryAfter: settings.retryAfterSeconds,
    ...(settings.sampleIntervalMs ? { sampleInterval: settings.sampleIntervalMs } : {}),
    pressureHandler: async (request, reply, type) => {
      if (ALWAYS_ANSWERED.has(request.routeOptions.url ?? '')) return;
      reply.header('retry-after', settings.retryAfterSeconds);
      throw new DomainError('OVERLOADED', 'the service is overloaded; retry later', {
        cause: type,
        retryAfterSeconds: settings.retryAfterSeconds,
      });
    },
  });
}
