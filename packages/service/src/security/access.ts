import type { FastifyInstance, onRequestAsyncHookHandler } from 'fastify';
import type { z } from 'zod';
import type { RedisClient } from '../redis.ts';
import { forbidOtherUserInPath, requireShopper } from './guards.ts';
import type { OverloadSettings } from './overload.ts';
import { installRateLimits, type RateLimitSettings } from './rate-limits.ts';
import type { publicApiEnv } from './settings.ts';
import {
  createShopperTokenVerifier,
  type ShopperTokenVerifier,
  shopperTokenSettings,
} from './shopper-tokens.ts';

/** The parsed `publicApiEnv` part of a public API's configuration. */
export type PublicApiConfig = z.output<z.ZodObject<typeof publicApiEnv>>;

/** What the HTTP shell takes from a public API's configuration. */
export function shellSecurity(config: PublicApiConfig) {
  const overload: OverloadSettings = {
    maxEventLoopDelayMs: config.OVERLOAD_MAX_EVENT_LOOP_DELAY_MS,
    maxHeapUsedBytes: config.OVERLOAD_MAX_HEAP_USED_MB * 1024 * 1024,
    retryAfterSeconds: config.OVERLOAD_RETRY_AFTER_SECONDS,
    maxWritesInFlight: config.OVERLOAD_MAX_WRITES_IN_FLIGHT,
  };
  return { trustedProxies: config.TRUSTED_PROXIES, overload };
}

/** The onRequest hooks of a public API's routes, in the order they must run. */
export interface PublicAccess {
  /** Shopper routes: per-address budget, then the token, then the user's budget. */
  shopper: onRequestAsyncHookHandler[];
  /** Shopper routes with a `:userId` in the path: as `shopper`, and 403 for another user. */
  shopperSelf: onRequestAsyncHookHandler[];
  /** Routes anyone may call (public reads): the per-address budget. */
  anyone: onRequestAsyncHookHandler[];
}

/**
 * Sets up who may call a public API: shopper tokens verified from the configured keys, and
 * the per-address and per-user rate limits counted in `redis` under the service's name.
 */
export async function installPublicAccess(
  app: FastifyInstance,
  options: {
    service: string;
    config: PublicApiConfig;
    redis: RedisClient;
    tokens?: ShopperTokenVerifier;
  },
): Promise<PublicAccess> {
  const { config } = options;
  const tokens = options.tokens ?? createShopperTokenVerifier(shopperTokenSettings(config));
  const settings: RateLimitSettings = {
    windowMs: config.RATE_LIMIT_WINDOW_MS,
    perUser: config.RATE_LIMIT_PER_USER,
    perAddress: config.RATE_LIMIT_PER_ADDRESS,
    namespace: `${config.RATE_LIMIT_NAMESPACE}:${options.service}`,
  };
  const limits = await installRateLimits(app, settings, options.redis);
  const shopper = [limits.byAddress, requireShopper(tokens), limits.byUser];
  return {
    shopper,
    shopperSelf: [...shopper, forbidOtherUserInPath],
    anyone: [limits.byAddress],
  };
}
