import { freshDatabase as migratedDatabase } from '@commerce/db/testing';
import { topics as catalog, consumerGroups, registerAll, subjectSchemas } from '@commerce/events';
import { createKafkaClient, ensureTopics } from '@commerce/kafka';
import { testShopperTokens } from '@commerce/service/testing';
import {
  type DedicatedDatabaseServer,
  deleteKeys,
  groupLag,
  serviceEnv,
  stackAddresses,
  uniqueName,
} from '@commerce/testing';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { buildApp } from '../../src/app.ts';
import { type Config, readConfig } from '../../src/config.ts';
import { orderMigrationsDir } from '../../src/data-access/order-db.ts';
import { createDeps, type Deps, type DepsOverrides } from '../../src/deps.ts';

export const logger = pino({ level: process.env.LOG_LEVEL ?? 'silent' });
export const operatorKey = 'test-operator-key-0123456789';
/** The identity provider the order-apis under test trust. */
export const idp = testShopperTokens();
const stack = stackAddresses();

/** The Authorization header of `userId`. */
export const bearer = async (userId: string) => ({
  authorization: `Bearer ${await idp.mint(userId)}`,
});

/**
 * An order database of its own, migrated from scratch, on the stack's MariaDB or on `server`
 * (a fault test's own, to stop it); drop() removes it.
 */
export const freshDatabase = (prefix = 'order_api', server?: DedicatedDatabaseServer) =>
  migratedDatabase(orderMigrationsDir, prefix, server?.mysql);

/** The environment of one isolated order-api: its own database, Redis keys and topics. */
export function isolatedEnv(databaseUrl: string, extra: Record<string, string> = {}) {
  const name = uniqueName('oa');
  return {
    ...serviceEnv(),
    DATABASE_URL: databaseUrl,
    OPERATOR_API_KEY: operatorKey,
    ...idp.env,
    RATE_LIMIT_NAMESPACE: `${name}:rate`,
    // Tests send from one address as fast as they can; security.test.ts sets real budgets.
    RATE_LIMIT_PER_ADDRESS: '10000000',
    RATE_LIMIT_PER_USER: '100000',
    RANKING_KEY_PREFIX: `${name}:ranking:`,
    KAFKA_NAME_PREFIX: `${name}.`,
    OUTBOX_SWEEP_INTERVAL_MS: '200',
    ...extra,
  };
}

/**
 * Creates the prefixed catalog topics an order-api with this prefix publishes to, and the
 * dead-letter topic of a ranking-worker with the same prefix; delete() removes them and
 * that worker's consumer group.
 */
export async function createTopics(prefix: string) {
  await registerAll(stack.schemaRegistryUrl, subjectSchemas());
  const kafka = createKafkaClient({
    clientId: uniqueName('test-admin'),
    brokers: stack.kafkaBrokers,
    logger,
  });
  const admin = kafka.admin();
  await admin.connect();
  const names: { name: string; partitions: number }[] = [
    catalog.orderCompleted,
    catalog.externalEvents,
    catalog.productEvents,
  ].map((t) => ({
    name: prefix + t.name,
    partitions: t.partitions,
  }));
  names.push({ name: prefix + consumerGroups.rankingWorker.deadLetterTopic, partitions: 1 });
  await ensureTopics(admin, names, { replicationFactor: 1 });
  const groupId = prefix + consumerGroups.rankingWorker.groupId;
  return {
    kafka,
    admin,
    /** The ranking-worker group's unprocessed messages on order-completed. */
    workerLag(): Promise<number> {
      return groupLag(admin, groupId, [prefix + catalog.orderCompleted.name]);
    },
    async delete() {
      await admin.deleteGroups([groupId]).catch(() => undefined);
      await admin.deleteTopics({ topics: names.map((t) => t.name) }).catch(() => undefined);
      await admin.disconnect();
    },
  };
}

/**
 * Who a test request speaks for: the user the body names, else the owner of the order in
 * the URL (as placed through `placed`), else user-1.
 */
export function orderOwners() {
  const owners = new Map<string, string>();
  return {
    userFor(url: string, payload?: unknown): string {
      const orderId = /^\/orders\/([^/?]+)/.exec(url)?.[1];
      return (
        (payload as { userId?: string } | undefined)?.userId ??
        owners.get(orderId ?? '') ??
        'user-1'
      );
    },
    placed(url: string, status: number, body: { id?: string }, userId: string): void {
      if (url === '/orders' && status === 201 && body.id) owners.set(body.id, userId);
    },
  };
}

/**
 * HTTP to an order-api process as a shopper: the token of the user `owners` finds for the
 * request (see orderOwners), the answer's status, headers and JSON body.
 */
export function shopperCalls(owners = orderOwners()) {
  return async function call(
    port: number,
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ) {
    const user = owners.userFor(path, body);
    const res = await fetch(`http://127.0.0.1:${port}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(await bearer(user)), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    // biome-ignore lint/suspicious/noExplicitAny: test reads of JSON answers
    const answer = { status: res.status, headers: res.headers, body: (await res.json()) as any };
    owners.placed(path, answer.status, answer.body, user);
    return answer;
  };
}

interface InjectRequest {
  method?: 'GET' | 'POST';
  url: string;
  payload?: unknown;
  headers?: Record<string, string>;
}

/** order-api built in this process (app.inject), on a fresh database. */
export async function createApi(
  options: { env?: Record<string, string>; overrides?: DepsOverrides } = {},
) {
  const database = await freshDatabase();
  const config: Config = readConfig(isolatedEnv(database.url, options.env));
  const deps: Deps = await createDeps(config, logger, options.overrides);
  const app = await buildApp(deps);
  const redis = new Redis(stack.redisUrl);
  const owners = orderOwners();
  const api = {
    app,
    /**
     * app.inject as a shopper (the token added to the headers): `userId`, or else the user
     * the body names, the owner of the order in the URL, or user-1.
     */
    async inject(request: InjectRequest, userId?: string) {
      const user = userId ?? owners.userFor(request.url, request.payload);
      const res = await app.inject({
        ...request,
        headers: { ...(await bearer(user)), ...request.headers },
      } as never);
      owners.placed(request.url, res.statusCode, res.json(), user);
      return res;
    },
    deps,
    config,
    redis,
    database,
    async product(stock = 10, price = 1_000, name = 'lamp'): Promise<{ id: string }> {
      const res = await app.inject({
        method: 'POST',
        url: '/products',
        headers: { 'x-api-key': operatorKey },
        payload: { name, price, stock },
      });
      if (res.statusCode !== 201) throw new Error(`product: ${res.statusCode} ${res.body}`);
      return res.json();
    },
    async order(
      items: { productId: string; quantity: number }[],
      userId = 'user-1',
    ): Promise<{ id: string; total: number }> {
      const res = await api.inject({ method: 'POST', url: '/orders', payload: { items } }, userId);
      if (res.statusCode !== 201) throw new Error(`order: ${res.statusCode} ${res.body}`);
      return res.json();
    },
    /** Pays as the order's owner (user-1 for orders this harness did not place). */
    pay(orderId: string, amount: number, headers: Record<string, string> = {}) {
      const payload = { amount, method: 'CARD' };
      return api.inject({ method: 'POST', url: `/orders/${orderId}/pay`, headers, payload });
    },
    /** Rows of every table: "no partial write" means these do not change. */
    async rowCounts() {
      const p = deps.prisma;
      return {
        products: await p.product.count(),
        orders: await p.order.count(),
        orderItems: await p.orderItem.count(),
        payments: await p.payment.count(),
        idempotencyKeys: await p.idempotencyKey.count(),
        outboxEvents: await p.outboxEvent.count(),
      };
    },
    async close() {
      await app.close();
      await deps.close();
      await deleteKeys(redis, config.RANKING_KEY_PREFIX);
      redis.disconnect();
      await database.drop();
    },
  };
  return api;
}

export type Api = Awaited<ReturnType<typeof createApi>>;
