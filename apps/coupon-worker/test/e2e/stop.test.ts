import { join } from 'node:path';
import { consumerGroups, EventCodec, topics } from '@commerce/events';
import { createKafkaClient, EventProducer, type Kafka, provisionCatalog } from '@commerce/kafka';
import { shutdownGraceMs } from '@commerce/service';
import {
  type DedicatedBroker,
  groupLag,
  leakedSecrets,
  type ServiceProcess,
  serviceEnv,
  signalMidBatch,
  stackAddresses,
  startDedicatedBroker,
  startServiceProcess,
} from '@commerce/testing';
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { IssueRequest } from '../../src/domain/model.ts';
import { createIssuanceHarness, type IssuanceHarness, silent } from '../support/harness.ts';

// coupon-worker has no topic prefix: it gets a Kafka broker of its own, as the coupon system
// tests start it (apps/coupon-api/test/e2e/system.ts).
const entry = join(import.meta.dirname, '..', '..', 'src', 'main.ts');
const { schemaRegistryUrl, mysql } = stackAddresses();
const topic = topics.couponRequests.name;
const { groupId } = consumerGroups.couponWorker;
let h: IssuanceHarness;
let broker: DedicatedBroker;
let admin: ReturnType<Kafka['admin']>;
let producer: EventProducer;
beforeAll(async () => {
  [h, broker] = await Promise.all([createIssuanceHarness(), startDedicatedBroker()]);
  const kafka = createKafkaClient({
    clientId: 'stop-test',
    brokers: broker.brokers,
    logger: silent,
  });
  admin = kafka.admin();
  await admin.connect();
  await provisionCatalog(broker.brokers, schemaRegistryUrl);
  producer = new EventProducer({
    kafka,
    codec: new EventCodec(new SchemaRegistry({ host: schemaRegistryUrl })),
    service: 'test',
  });
  await producer.connect();
}, 180_000);
afterAll(async () => {
  await producer?.disconnect();
  await admin?.disconnect();
  await broker?.destroy();
  await h?.close();
});

const processes: ServiceProcess[] = [];
afterEach(async () => {
  for (const p of processes.splice(0)) await p.kill('SIGKILL');
});

async function startWorker(name: string, extra: Record<string, string> = {}) {
  const p = await startServiceProcess({
    name,
    entry,
    env: {
      ...serviceEnv(),
      KAFKA_BROKERS: broker.brokers.join(','),
      DATABASE_URL: h.databaseUrl,
      LOG_LEVEL: 'info',
      // Slices of 10: each partition's backlog takes several decisions, one after the other.
      BATCH_MAX_RECORDS: '10',
      ...extra,
    },
    readyMessage: 'coupon-worker started',
  });
  processes.push(p);
  return p;
}

/** The requests onto coupon-requests as coupon-api's relay sends them: keyed by user. */
async function publish(requests: readonly IssueRequest[]) {
  await producer.publish(
    requests.map(({ eventId, requestId, userId, couponId, sequence, correlationId }) => ({
      topic,
      key: userId,
      type: 'CouponIssueRequested' as const,
      payload: { eventId, occurredAt: Date.now(), requestId, userId, couponId, sequence },
      correlationId,
    })),
  );
}

// FAULT_HOLD_DECISION_MS holds each decision after its transaction committed and before its
// offsets can be committed: the signal lands with decisions committed and not yet their
// offsets. Shorter than the user locks' TTL (5 s), so they do not expire while held.
const hold = { FAULT_HOLD_DECISION_MS: '1500' };

describe('coupon-worker process: a signal mid-batch', () => {
  it('when the worker gets SIGTERM mid-batch, then it exits within its grace period having committed exactly the requests it decided, and after a restart every request is decided once: the stock issued, no user twice, one result each', async () => {
    const stock = 60;
    const open = { from: new Date(Date.now() - 60_000).toISOString(), until: '2099-01-01' };
    const couponId = await h.coupon(stock, open);
    // 150 requests from 120 shoppers, the first 30 asking twice (as when Redis forgot them).
    const requests = await h.pendingMany(
      couponId,
      Array.from({ length: 150 }, (_, i) => ({ userId: `shopper-${i % 120}`, sequence: i + 1 })),
    );
    await publish(requests);
    const decided = () =>
      h.prisma.couponRequest.count({ where: { couponId, status: { not: 'PENDING' } } });
    const committed = async () => requests.length - (await groupLag(admin, groupId, [topic]));

    const stopping = await startWorker('coupon-worker-stopping', hold);
    // Decided before committed: a held decision is in flight when the signal lands.
    const exit = await signalMidBatch(stopping, 'SIGTERM', async () => {
      const done = await decided();
      return done > (await committed());
    });
    // Exit 0: the stop finished by itself (the grace timer exits 1).
    expect(exit.code, stopping.output().slice(-4_000)).toBe(0);
    expect(exit.exitMs).toBeLessThan(shutdownGraceMs);
    const decidedAtStop = await decided();
    expect(decidedAtStop).toBeLessThan(requests.length);
    // Only finished work committed, and all of it: the held decisions finished first.
    expect(await committed()).toBe(decidedAtStop);

    const restarted = await startWorker('coupon-worker-restarted');
    await expect.poll(decided, { timeout: 30_000, interval: 200 }).toBe(requests.length);
    await expect.poll(committed, { timeout: 10_000, interval: 200 }).toBe(requests.length);
    const [coupon, issued, outbox] = await Promise.all([
      h.prisma.coupon.findUniqueOrThrow({ where: { id: couponId } }),
      h.prisma.userCoupon.findMany({ where: { couponId } }),
      h.prisma.outboxEvent.findMany(),
    ]);
    expect(coupon.issuedQuantity).toBe(stock);
    expect(issued).toHaveLength(stock);
    expect(new Set(issued.map((c) => c.userId)).size).toBe(stock);
    // One result per request, and CouponIssued for exactly the coupons issued.
    const requestIdsOf = (...types: string[]) =>
      outbox
        .filter((row) => types.includes(row.eventType))
        .map((row) => JSON.parse(row.payload).requestId as string)
        .sort();
    expect(requestIdsOf('CouponIssueSucceeded', 'CouponIssueFailed')).toEqual(
      requests.map((r) => r.requestId).sort(),
    );
    expect(requestIdsOf('CouponIssued')).toEqual(issued.map((c) => c.requestId).sort());
    expect(requestIdsOf('CouponIssueSucceeded')).toEqual(issued.map((c) => c.requestId).sort());
    // And every result reached Kafka: the relay published all of them.
    await expect
      .poll(() => h.prisma.outboxEvent.count({ where: { publishedAt: null } }), {
        timeout: 20_000,
      })
      .toBe(0);
    expect(
      leakedSecrets([stopping, restarted], { 'the database password': `:${mysql.password}@` }),
    ).toEqual([]);
  }, 90_000);
});
