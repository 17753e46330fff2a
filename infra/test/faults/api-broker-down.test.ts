import { join } from 'node:path';
import { parseDatabaseUrl } from '@commerce/db';
import { type FreshDatabase, freshDatabase } from '@commerce/db/testing';
import { topics as catalog, registerAll, subjectSchemas } from '@commerce/events';
import { createKafkaClient, ensureTopics } from '@commerce/kafka';
import { testShopperTokens } from '@commerce/service/testing';
import {
  type DedicatedBroker,
  type ServiceProcess,
  serviceEnv,
  stackAddresses,
  startDedicatedBroker,
  startServiceProcess,
  uniqueName,
} from '@commerce/testing';
import { createPool, type Pool } from 'mariadb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logger, waitFor } from './harness.ts';

const shoppers = testShopperTokens();
const buyer = `Bearer ${await shoppers.mint('faults-user')}`;
const orderApi = join(import.meta.dirname, '..', '..', '..', 'apps', 'order-api');
const operatorKey = 'faults-operator-key-0123456789';
const prefix = `${uniqueName('fa')}.`;
const published = [catalog.orderCompleted, catalog.externalEvents, catalog.productEvents];

let broker: DedicatedBroker;
let database: FreshDatabase;
let pool: Pool;
let api: ServiceProcess | undefined;
const kafka = () => createKafkaClient({ clientId: prefix, brokers: broker.brokers, logger });
beforeAll(async () => {
  broker = await startDedicatedBroker();
  database = await freshDatabase(join(orderApi, 'prisma', 'migrations'), 'faults_api');
  pool = createPool({ ...parseDatabaseUrl(database.url), connectionLimit: 2 });
  await registerAll(stackAddresses().schemaRegistryUrl, subjectSchemas());
  // The topics exist before the outage, as in production: only the broker is missing.
  const admin = kafka().admin();
  await admin.connect();
  await ensureTopics(
    admin,
    published.map((t) => ({ name: prefix + t.name, partitions: t.partitions })),
    { replicationFactor: 1 },
  );
  await admin.disconnect();
}, 240_000);
afterAll(async () => {
  await api?.kill('SIGKILL');
  await pool?.end();
  await database?.drop();
  await broker?.destroy();
}, 120_000);

async function call(path: string, init: { method?: string; body?: unknown } = {}) {
  const port = JSON.parse(
    api
      ?.output()
      .split('\n')
      .find((line) => line.includes('"order-api started"')) ?? '{}',
  ).port;
  const res = await fetch(`http://127.0.0.1:${port}${path}`, {
    method: init.method ?? 'GET',
    // The operator key for the product, the shopper's token for the order and its payment.
    headers: { 'content-type': 'application/json', 'x-api-key': operatorKey, authorization: buyer },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  // biome-ignore lint/suspicious/noExplicitAny: test reads of JSON answers
  return { status: res.status, body: (await res.json().catch(() => ({}))) as any };
}

/** Messages on each of order-api's topics. */
async function messagesPerTopic(): Promise<number[]> {
  const admin = kafka().admin();
  await admin.connect();
  try {
    const offsets = await Promise.all(
      published.map((t) => admin.fetchTopicOffsets(prefix + t.name)),
    );
    return offsets.map((partitions) => partitions.reduce((sum, p) => sum + Number(p.high), 0));
  } finally {
    await admin.disconnect();
  }
}

const outbox = (): Promise<{ event_type: string; published_at: Date | null }[]> =>
  pool.query('SELECT event_type, published_at FROM outbox_events ORDER BY id');

describe('order-api started while its broker is down', () => {
  it('when the broker is down at start-up, then /readyz answers 503, a payment is either kept in the outbox or refused with 503, and once the broker is up what was accepted is published', async () => {
    await broker.stop();
    api = await startServiceProcess({
      name: 'order-api',
      entry: join(orderApi, 'src', 'main.ts'),
      env: {
        ...serviceEnv(),
        ...shoppers.env,
        KAFKA_BROKERS: broker.brokers.join(','),
        DATABASE_URL: database.url,
        OPERATOR_API_KEY: operatorKey,
        KAFKA_NAME_PREFIX: prefix,
        RANKING_KEY_PREFIX: `${prefix}ranking:`,
        OUTBOX_SWEEP_INTERVAL_MS: '200',
        LOG_LEVEL: 'info',
      },
      readyMessage: '"order-api started"',
      timeoutMs: 180_000,
    });

    const ready = await call('/readyz');
    const product = await call('/products', {
      method: 'POST',
      body: { name: 'mug', price: 4_500, stock: 10 },
    });
    const order = await call('/orders', {
      method: 'POST',
      body: { items: [{ productId: product.body.id, quantity: 2 }] },
    });
    const pay = await call(`/orders/${order.body.id}/pay`, {
      method: 'POST',
      body: { amount: 9_000, method: 'CARD' },
    });
    const heldWhileDown = await outbox();

    await broker.start();
    const returnedAt = Date.now();
    await waitFor(
      'ready once the broker is back',
      async () => (await call('/readyz')).status === 200,
      120_000,
    );
    await waitFor(
      'the outbox published',
      async () => (await outbox()).every((row) => row.published_at !== null),
      120_000,
    );
    const publishedAfterMs = Date.now() - returnedAt;
    const rows = await outbox();
    const messages = await messagesPerTopic();
    console.info(
      `broker down at start: readyz ${ready.status}, product ${product.status}, order ${order.status}, pay ${pay.status}; ${heldWhileDown.length} rows held, published ${publishedAfterMs} ms after the broker returned`,
    );

    expect(ready.status).toBe(503);
    expect([200, 503]).toContain(pay.status);
    if (pay.status === 200) {
      // Accepted: its events waited in the outbox (nothing published while the broker was down).
      expect(heldWhileDown.map((r) => [r.event_type, r.published_at])).toEqual([
        ['OrderCompleted', null],
        ['PaymentCompleted', null],
        ['ProductStockChanged', null],
      ]);
      expect(rows).toHaveLength(3);
      expect(messages).toEqual([1, 1, 1]);
    } else {
      expect(heldWhileDown).toEqual([]);
      expect(rows).toEqual([]);
      expect(messages).toEqual([0, 0, 0]);
    }
  }, 480_000);
});
