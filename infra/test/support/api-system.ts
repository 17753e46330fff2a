import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FreshDatabase, freshDatabase } from '@commerce/db/testing';
import { provisionCatalog } from '@commerce/kafka';
import { testShopperTokens } from '@commerce/service/testing';
import {
  type DedicatedBroker,
  freePort,
  type ServiceProcess,
  serviceEnv,
  stackAddresses,
  startDedicatedBroker,
  startServiceProcess,
  uniqueName,
} from '@commerce/testing';
import { repoRoot } from './apps.ts';
import { localStack } from './local-stack.ts';

export const operatorKey = 'schemathesis-operator-key-0123456789';

/**
 * coupon-api and order-api as processes behind a gateway of their own (the local stack's
 * nginx and routes on a free port), on a Kafka broker of their own and fresh databases, so
 * whatever a test sends through it reaches nobody else's topics, rows or consumer groups.
 * The shared registry and Redis are used (rate-limit counters under a namespace of their own).
 */
export async function startApiSystem() {
  const broker: DedicatedBroker = await startDedicatedBroker();
  const stateDir = mkdtempSync(join(tmpdir(), 'api-system-'));
  const opened: { close(): Promise<unknown> }[] = [{ close: () => broker.destroy() }];
  const close = async () => {
    for (const resource of opened.reverse()) await resource.close().catch(() => undefined);
    rmSync(stateDir, { recursive: true, force: true });
  };
  try {
    await provisionCatalog(broker.brokers, stackAddresses().schemaRegistryUrl);

    const idp = testShopperTokens();
    const databases: Record<'coupon' | 'orders', FreshDatabase> = {
      coupon: await freshDatabase(
        join(repoRoot, 'packages', 'coupon-db', 'prisma', 'migrations'),
        'st_coupon',
      ),
      orders: await freshDatabase(
        join(repoRoot, 'apps', 'order-api', 'prisma', 'migrations'),
        'st_orders',
      ),
    };
    opened.push({ close: () => databases.coupon.drop() }, { close: () => databases.orders.drop() });
    const env = {
      ...serviceEnv(),
      ...idp.env,
      KAFKA_BROKERS: broker.brokers.join(','),
      OPERATOR_API_KEY: operatorKey,
      // Everything comes from one address, fast: no budget stops it (security tests cover them).
      RATE_LIMIT_NAMESPACE: uniqueName('st-rl'),
      RATE_LIMIT_PER_ADDRESS: '10000000',
      RATE_LIMIT_PER_USER: '1000000',
      RANKING_KEY_PREFIX: `${uniqueName('st')}:ranking:`,
      // The gateway's X-Forwarded-* are believed, as in the local stack.
      TRUSTED_PROXIES: '127.0.0.1',
      LOG_LEVEL: 'info',
    };
    const processes: ServiceProcess[] = [];
    const start = async (name: 'coupon-api' | 'order-api', database: FreshDatabase) => {
      const port = await freePort();
      const service = await startServiceProcess({
        name,
        entry: join(repoRoot, 'apps', name, 'src', 'main.ts'),
        env: { ...env, PORT: String(port), DATABASE_URL: database.url },
        readyMessage: `"${name} started"`,
        timeoutMs: 120_000,
      });
      processes.push(service);
      opened.push({ close: () => service.kill() });
      return `127.0.0.1:${port}`;
    };
    const couponApi = await start('coupon-api', databases.coupon);
    const orderApi = await start('order-api', databases.orders);

    const gatewayPort = await freePort();
    const gateway = `http://127.0.0.1:${gatewayPort}`;
    // The workers have no process here: their routes answer 502, which nothing below calls.
    const stack = localStack(stateDir, {
      GATEWAY_PORT: String(gatewayPort),
      GATEWAY_URL: gateway,
      COUPON_API_UPSTREAM: couponApi,
      ORDER_API_UPSTREAM: orderApi,
    });
    await stack('up', 'gateway');
    opened.push({ close: () => stack('down', 'gateway') });

    return { gateway, idp, databases, processes, close };
  } catch (err) {
    await close();
    throw err;
  }
}

export type ApiSystem = Awaited<ReturnType<typeof startApiSystem>>;
