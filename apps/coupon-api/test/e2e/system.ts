import { join } from 'node:path';
import { couponMigrationsDir, createCouponDb } from '@commerce/coupon-db';
import { freshDatabase } from '@commerce/db/testing';
import { provisionCatalog } from '@commerce/kafka';
import { testShopperTokens } from '@commerce/service/testing';
import {
  type DedicatedBroker,
  type DedicatedDatabaseServer,
  freePort,
  leakedSecrets,
  type ServiceProcess,
  stackAddresses,
  startDedicatedBroker,
  startServiceProcess,
  uniqueName,
} from '@commerce/testing';

const apps = join(import.meta.dirname, '..', '..', '..');
const operatorApiKey = 'test-operator-key-0123456789';

/**
 * The whole coupon flow as separate processes (coupon-api and coupon-workers) on a Kafka
 * broker of its own, a fresh coupon database, and the shared registry and Redis.
 */
export async function startCouponSystem(options: {
  workers: number;
  apis?: number;
  /** How the test identity provider signs (RS256, the services' default, unless a bench says). */
  tokenAlgorithm?: 'RS256' | 'ES256';
  /** Settings of every coupon-api and coupon-worker on top of the defaults here. */
  env?: Record<string, string>;
  /** Seed nodes of a Redis Cluster for every process (REDIS_CLUSTER=true); the stack's Redis otherwise. */
  redisCluster?: string;
  /** More environment for the coupon-api processes only (a benchmark's NODE_OPTIONS=--cpu-prof). */
  apiEnv?: Record<string, string>;
  /** A database server of the test's own (to stop it); the stack's MariaDB otherwise. */
  databaseServer?: DedicatedDatabaseServer;
}) {
  const { mysql, schemaRegistryUrl, redisUrl } = stackAddresses();
  const broker: DedicatedBroker = await startDedicatedBroker();
  await provisionCatalog(broker.brokers, schemaRegistryUrl);

  const database = await freshDatabase(
    couponMigrationsDir,
    'coupon_e2e',
    options.databaseServer?.mysql,
  );
  const prisma = createCouponDb(database.url, 4);
  const idp = testShopperTokens(options.tokenAlgorithm);
  const env = {
    ...idp.env,
    // The rush comes from one address as fast as the machine can send: no budget stops it
    // here (security.test.ts covers the limits).
    RATE_LIMIT_PER_ADDRESS: '10000000',
    RATE_LIMIT_PER_USER: '1000',
    RATE_LIMIT_NAMESPACE: uniqueName('rl'),
    KAFKA_BROKERS: broker.brokers.join(','),
    SCHEMA_REGISTRY_URL: schemaRegistryUrl,
    DATABASE_URL: database.url,
    REDIS_URL: options.redisCluster ?? redisUrl,
    REDIS_CLUSTER: String(options.redisCluster !== undefined),
    OPERATOR_API_KEY: operatorApiKey,
    LOG_LEVEL: 'info',
    // A killed worker's partitions move to the survivor after 6 s instead of 30.
    CONSUMER_SESSION_TIMEOUT_MS: '6000',
    ...options.env,
  };

  const apiUrls: string[] = [];
  const apis: ServiceProcess[] = [];
  for (let i = 0; i < (options.apis ?? 1); i++) {
    const port = await freePort();
    apiUrls.push(`http://127.0.0.1:${port}`);
    apis.push(
      await startServiceProcess({
        name: `coupon-api-${i}`,
        entry: join(apps, 'coupon-api', 'src', 'main.ts'),
        env: { ...env, ...options.apiEnv, PORT: String(port) },
        readyMessage: 'coupon-api started',
      }),
    );
  }
  const startWorker = async (i: number) =>
    startServiceProcess({
      name: `coupon-worker-${i}`,
      entry: join(apps, 'coupon-worker', 'src', 'main.ts'),
      env: { ...env, PORT: String(await freePort()) },
      readyMessage: 'coupon-worker started',
    });
  const workers: ServiceProcess[] = [];
  for (let i = 0; i < options.workers; i++) workers.push(await startWorker(i));
  const baseUrl = apiUrls[0] as string;
  const tokens = new Map<string, Promise<string>>();
  /** The Authorization header of `userId` (one token per user, minted on first use). */
  const authorization = async (userId: string) => {
    if (!tokens.has(userId)) tokens.set(userId, idp.mint(userId));
    return { authorization: `Bearer ${await tokens.get(userId)}` };
  };
  let nextApi = 0; // requests go round the coupon-api instances, as a load balancer sends them

  return {
    broker,
    prisma,
    baseUrl,
    apiUrls,
    apis,
    workers,
    startWorker,
    idp,
    authorization,
    async createCoupon(totalQuantity: number, window = { from: -60_000, until: 3_600_000 }) {
      const res = await fetch(`${baseUrl}/coupons`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': operatorApiKey },
        body: JSON.stringify({
          name: 'rush',
          discountType: 'PERCENT',
          discountValue: 10,
          totalQuantity,
          validFrom: new Date(Date.now() + window.from).toISOString(),
          validUntil: new Date(Date.now() + window.until).toISOString(),
        }),
      });
      if (res.status !== 201)
        throw new Error(`creating a coupon failed: ${res.status} ${await res.text()}`);
      return ((await res.json()) as { id: string }).id;
    },
    /** Through the instance `via`, or round the instances when unset. */
    async issue(
      userId: string,
      couponId: string,
      headers: Record<string, string> = {},
      via?: number,
    ) {
      const apiUrl = apiUrls[via ?? nextApi++ % apiUrls.length] as string;
      const res = await fetch(`${apiUrl}/coupons/issue`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(await authorization(userId)),
          ...headers,
        },
        body: JSON.stringify({ couponId }),
      });
      return {
        status: res.status,
        body: (await res.json()) as { requestId?: string; error?: { code: string } },
      };
    },
    /** Resolves once at least `count` requests of the coupon are decided (no longer PENDING). */
    async waitDecided(couponId: string, count: number) {
      while (
        (await prisma.couponRequest.count({
          where: { couponId, status: { not: 'PENDING' } },
        })) < count
      ) {
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    /** Resolves when no request of the coupon is PENDING/COMPLETED/FAILED any more (all NOTIFIED). */
    async waitAllNotified(couponId: string, timeoutMs = 90_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const open = await prisma.couponRequest.count({
          where: { couponId, status: { not: 'NOTIFIED' } },
        });
        if (open === 0) return;
        if (Date.now() > deadline) throw new Error(`${open} requests still not notified`);
        await new Promise((r) => setTimeout(r, 250));
      }
    },
    async close() {
      await Promise.allSettled([...apis, ...workers].map((p) => p.kill()));
      // Whatever the run logged, no credential may be in it.
      const someTokens = await Promise.all([...tokens.values()].slice(0, 50));
      const leaks = leakedSecrets([...apis, ...workers], {
        OPERATOR_API_KEY: operatorApiKey,
        'the database password': `:${mysql.password}@`,
        ...Object.fromEntries(someTokens.map((token, i) => [`shopper token ${i}`, token])),
      });
      await prisma.$disconnect();
      await broker.destroy();
      await database.drop();
      if (leaks.length > 0) throw new Error(`secrets in the service logs: ${leaks.join('; ')}`);
    },
  };
}

export type CouponSystem = Awaited<ReturnType<typeof startCouponSystem>>;
