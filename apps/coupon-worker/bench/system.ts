// The coupon system for the drain benchmark, as apps/coupon-api/test/e2e/system.ts starts it
// (that file lies outside this package's rootDir): a Kafka broker of its own, a fresh coupon
// database, coupon-api as a process; coupon-workers started on demand with a chosen concurrency.
// BENCH_DATABASE_PARAMS is appended to every process's DATABASE_URL (e.g. prepareCacheLength=100).
import { join } from 'node:path';
import { couponMigrationsDir, createCouponDb } from '@commerce/coupon-db';
import { freshDatabase } from '@commerce/db/testing';
import { provisionCatalog } from '@commerce/kafka';
import { testShopperTokens } from '@commerce/service/testing';
import {
  freePort,
  type ServiceProcess,
  stackAddresses,
  startDedicatedBroker,
  startServiceProcess,
  uniqueName,
} from '@commerce/testing';

const apps = join(import.meta.dirname, '..', '..');
const operatorApiKey = 'bench-operator-key-0123456789';

export async function startDrainSystem(params = process.env.BENCH_DATABASE_PARAMS) {
  const { schemaRegistryUrl, redisUrl } = stackAddresses();
  const database = await freshDatabase(couponMigrationsDir, 'coupon_bench');
  const broker = await startDedicatedBroker();
  const prisma = createCouponDb(database.url, 4);
  const processes: ServiceProcess[] = [];
  const close = async () => {
    await Promise.allSettled(processes.map((p) => p.kill()));
    await prisma.$disconnect();
    await broker.destroy();
    await database.drop();
  };
  const idp = testShopperTokens();
  const env = {
    ...idp.env,
    // One address sends the whole backlog: no budget may refuse any of it.
    RATE_LIMIT_PER_ADDRESS: '10000000',
    RATE_LIMIT_NAMESPACE: uniqueName('rl'),
    KAFKA_BROKERS: broker.brokers.join(','),
    SCHEMA_REGISTRY_URL: schemaRegistryUrl,
    DATABASE_URL: `${database.url}${params ? `?${params}` : ''}`,
    REDIS_URL: redisUrl,
    OPERATOR_API_KEY: operatorApiKey,
    LOG_LEVEL: 'info',
  };
  const start = async (app: string, port: number, extra: Record<string, string> = {}) => {
    const service = await startServiceProcess({
      name: app,
      entry: join(apps, app, 'src', 'main.ts'),
      env: { ...env, PORT: String(port), ...extra },
      readyMessage: `${app} started`,
    });
    processes.push(service);
    return service;
  };
  const apiPort = await freePort();
  try {
    await provisionCatalog(broker.brokers, schemaRegistryUrl);
    await start('coupon-api', apiPort);
  } catch (err) {
    await close();
    throw err;
  }
  const baseUrl = `http://127.0.0.1:${apiPort}`;

  return {
    prisma,
    baseUrl,
    startWorker: async (concurrency: number, batch = 1_000) =>
      start('coupon-worker', await freePort(), {
        CONSUMER_CONCURRENCY: String(concurrency),
        BATCH_MAX_RECORDS: String(batch),
      }),
    async createCoupon(totalQuantity: number): Promise<string> {
      const { status, body } = await post(baseUrl, '/coupons', {
        name: 'rush',
        discountType: 'PERCENT',
        discountValue: 10,
        totalQuantity,
        validFrom: new Date(Date.now() - 60_000).toISOString(),
        validUntil: new Date(Date.now() + 24 * 3_600_000).toISOString(),
      });
      if (status !== 201) throw new Error(`creating a coupon failed: ${status}`);
      return body.id as string;
    },
    issue: async (userId: string, couponId: string) =>
      post(baseUrl, '/coupons/issue', { couponId }, await idp.mint(userId)),
    close,
  };
}

async function post(baseUrl: string, path: string, body: unknown, token?: string) {
  const res = await fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-api-key': operatorApiKey,
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}
