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
  /**
   * Writes (POST, PUT, PATCH, DELETE) in progress at most; one more is shed at once. A
   * bounded queue bounds the accepted requests' latency (Little's law) where the event
   * loop is not the bottleneck (the database, the pool). 0 turns it off.
   */
  maxWritesInFlight?: number;
}

/** Routes that answer even under pressure: liveness must not fail because of load. */
const ALWAYS_ANSWERED = new Set(['/healthz', '/metrics']);

const overloaded = (retryAfterSeconds: number, cause: string) =>
  new DomainError('OVERLOADED', 'the service is overloaded; retry later', {
    cause,
    retryAfterSeconds,
  });

/** Sheds a write when `max` are already in progress (reads and streams are not counted). */
function limitWritesInFlight(app: FastifyInstance, max: number, retryAfterSeconds: number) {
  let inFlight = 0;
  app.addHook('onRequest', async (request, reply) => {
    if (request.method === 'GET' || request.method === 'HEAD') return;
    if (inFlight >= max) {
      reply.header('retry-after', retryAfterSeconds);
      throw overloaded(retryAfterSeconds, 'writesInFlight');
    }
    inFlight++;
    // 'close' comes once the answer is sent or the client is gone, whichever is first.
    reply.raw.once('close', () => {
      inFlight--;
    });
  });
}

/**
 * Sheds load with @fastify/under-pressure: while the event loop lags or the heap is over its
 * limit, every request is answered 503 OVERLOADED with Retry-After before any work starts
 * (so nothing is accepted and then lost) and the process recovers instead of degrading;
 * and past `maxWritesInFlight` writes in progress, the next one is shed too.
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
      throw overloaded(settings.retryAfterSeconds, type);
    },
  });
  if (settings.maxWritesInFlight)
    limitWritesInFlight(app, settings.maxWritesInFlight, settings.retryAfterSeconds);
}
