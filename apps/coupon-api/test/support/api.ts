import { couponMigrationsDir } from '@commerce/coupon-db';
import { freshDatabase } from '@commerce/db/testing';
import { createLogger, type HttpApp } from '@commerce/service';
import { testShopperTokens } from '@commerce/service/testing';
import { serviceEnv, uniqueName } from '@commerce/testing';
import { buildApp } from '../../src/app.ts';
import { readConfig } from '../../src/config.ts';
import { createDeps, type Deps } from '../../src/deps.ts';

export const operatorKey = 'component-test-key-0123';

/**
 * coupon-api in-process on the real stack: a fresh coupon database, rate-limit counters of
 * its own, and a test identity provider whose tokens it trusts.
 */
export async function startCouponApi(env: Record<string, string> = {}) {
  const database = await freshDatabase(couponMigrationsDir, 'coupon_api');
  const idp = testShopperTokens();
  const config = readConfig({
    ...serviceEnv(),
    DATABASE_URL: database.url,
    OPERATOR_API_KEY: operatorKey,
    COUPON_CACHE_TTL_MS: '0',
    ...idp.env,
    RATE_LIMIT_NAMESPACE: uniqueName('rl'),
    RATE_LIMIT_PER_ADDRESS: '100000',
    ...env,
  });
  const deps: Deps = await createDeps(config, createLogger('coupon-api-test', 'silent'));
  const app: HttpApp = await buildApp(deps);
  const bearer = async (userId: string) => ({ authorization: `Bearer ${await idp.mint(userId)}` });

  return {
    app,
    deps,
    idp,
    bearer,
    async createCoupon(totalQuantity = 5, window = { from: -60_000, until: 3_600_000 }) {
      const res = await app.inject({
        method: 'POST',
        url: '/coupons',
        headers: { 'x-api-key': operatorKey },
        payload: {
          name: 'c',
          discountType: 'AMOUNT',
          discountValue: 1000,
          totalQuantity,
          validFrom: new Date(Date.now() + window.from).toISOString(),
          validUntil: new Date(Date.now() + window.until).toISOString(),
        },
      });
      if (res.statusCode !== 201) throw new Error(`coupon not created: ${res.body}`);
      return res.json().id as string;
    },
    async issue(headers: Record<string, string>, payload: unknown) {
      return app.inject({
        method: 'POST',
        url: '/coupons/issue',
        headers,
        payload: payload as object,
      });
    },
    async close() {
      await app.close();
      await deps.close();
      await database.drop();
    },
  };
}

export type CouponApiUnderTest = Awaited<ReturnType<typeof startCouponApi>>;
