import rateLimit, { normalizeIP } from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import { DomainError } from '../errors.ts';
import type { RedisClient } from '../redis.ts';
import { shopperOf } from './guards.ts';

export interface RateLimitSettings {
  windowMs: number;
  perUser: number;
  perAddress: number;
  /** Prefix of the counters in Redis: replicas of a service share it, tests get their own. */
  namespace: string;
}

export interface RateLimits {
  /** Counts the client address (the gateway's X-Forwarded-For only when the gateway is trusted). */
  byAddress: onRequestAsyncHookHandler;
  /** Counts the token's user; goes after `requireShopper`. */
  byUser: onRequestAsyncHookHandler;
}

/**
 * Per-address and per-user budgets with @fastify/rate-limit's Redis store, so every
 * replica counts against the same budget. Over budget: 429 RATE_LIMITED with Retry-After.
 * A Redis failure lets the request through (the route then meets Redis itself and answers
 * its own error): availability over throttling.
 */
export async function installRateLimits(
  app: FastifyInstance,
  settings: RateLimitSettings,
  redis: RedisClient,
): Promise<RateLimits> {
  await app.register(rateLimit, {
    global: false,
    redis,
    nameSpace: `${settings.namespace}:`,
    skipOnError: true,
  });
  const limiter = (max: number, key: (request: FastifyRequest) => string) => {
    const check = app.createRateLimit({
      max,
      timeWindow: settings.windowMs,
      keyGenerator: key,
      skipOnError: true,
    });
    const hook: onRequestAsyncHookHandler = async (request, reply) => {
      const result = await check(request);
      if (result.isAllowed || !result.isExceeded) return;
      const retryAfterSeconds = Math.max(1, result.ttlInSeconds);
      reply.header('retry-after', retryAfterSeconds);
      throw new DomainError('RATE_LIMITED', `too many requests; retry in ${retryAfterSeconds} s`, {
        retryAfterSeconds,
      });
    };
    return hook;
  };
  return {
    byAddress: limiter(settings.perAddress, (request) => `address:${normalizeIP(request.ip)}`),
    byUser: limiter(settings.perUser, (request) => `user:${shopperOf(request).userId}`),
  };
}
