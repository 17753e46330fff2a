import { shutdownGraceMs } from '@commerce/service';
import {
  type ServiceProcess,
  signalMidBatch,
  stackAddresses,
  startRedisCluster,
} from '@commerce/testing';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { admissionKeys } from '../../src/data-access/admission-keys.ts';
import { expectRushInvariants, rush } from './rush.ts';
import { type CouponSystem, startCouponSystem } from './system.ts';

// Real processes on a broker of their own; each scenario takes a few tens of seconds.
const SCENARIO_TIMEOUT = 240_000;
let system: CouponSystem | undefined;

afterEach(async () => {
  await system?.close();
  system = undefined;
});

describe('the coupon rush, end to end', () => {
  it(
    'when 3,000 users send 5,000 requests for 1,000 coupons against two workers, then exactly 1,000 are issued, once each, and every request is resolved',
    async () => {
      system = await startCouponSystem({ workers: 2 });
      const couponId = await system.createCoupon(1_000);

      const results = await rush(system, couponId, {
        users: 3_000,
        repeaters: 1_000,
        prefix: couponId,
      });
      await system.waitAllNotified(couponId);

      expect(results).toHaveLength(5_000);
      await expectRushInvariants(system, couponId, 1_000, results);
    },
    SCENARIO_TIMEOUT,
  );

  it(
    'when a worker is killed with SIGKILL twice mid-rush and restarted, then the same invariants hold',
    async () => {
      system = await startCouponSystem({ workers: 2 });
      const running = system;
      const couponId = await running.createCoupon(1_000);
      const kills: Promise<void>[] = [];
      const killAndRestart = async (index: number) => {
        await running.workers[index]?.kill('SIGKILL');
        running.workers[index] = await running.startWorker(index);
      };
      // Kill while the workers are busy deciding: watch the log fill up, not the HTTP side.
      const watcher = (async () => {
        for (const [threshold, index] of [
          [150, 0],
          [500, 1],
        ] as const) {
          while (
            (await running.prisma.couponRequest.count({
              where: { couponId, status: { not: 'PENDING' } },
            })) < threshold
          ) {
            await new Promise((r) => setTimeout(r, 50));
          }
          kills.push(killAndRestart(index));
          await kills.at(-1);
        }
      })();

      const results = await rush(running, couponId, {
        users: 3_000,
        repeaters: 1_000,
        prefix: couponId,
        concurrency: 50,
      });
      await watcher;
      await Promise.all(kills);
      await running.waitAllNotified(couponId, 150_000);

      expect(kills).toHaveLength(2);
      await expectRushInvariants(running, couponId, 1_000, results);
    },
    SCENARIO_TIMEOUT,
  );

  it(
    'when a worker gets SIGTERM mid-rush and is restarted, then it exits within its grace period and the same invariants hold',
    async () => {
      system = await startCouponSystem({ workers: 2 });
      const running = system;
      const couponId = await running.createCoupon(1_000);
      const decided = () =>
        running.prisma.couponRequest.count({ where: { couponId, status: { not: 'PENDING' } } });
      const stopping = running.workers[0] as ServiceProcess;
      // While the workers are busy deciding (batches back to back), as in the SIGKILL case.
      const stopped = (async () => {
        const exit = await signalMidBatch(
          stopping,
          'SIGTERM',
          async () => (await decided()) >= 300,
          120_000,
        );
        running.workers[0] = await running.startWorker(0);
        return exit;
      })();

      const results = await rush(running, couponId, {
        users: 3_000,
        repeaters: 1_000,
        prefix: couponId,
        concurrency: 50,
      });
      const exit = await stopped;
      await running.waitAllNotified(couponId, 150_000);

      // Exit 0: the stop finished its batch and commit by itself (the grace timer exits 1).
      expect(exit.code, stopping.output().slice(-4_000)).toBe(0);
      expect(exit.exitMs).toBeLessThan(shutdownGraceMs);
      await expectRushInvariants(running, couponId, 1_000, results);
    },
    SCENARIO_TIMEOUT,
  );

  it(
    'when Redis loses the queue three times mid-rush with two coupon-apis and two workers, then exactly 1,000 are issued, once each, nobody refused while places remain, every request resolved',
    async () => {
      system = await startCouponSystem({ workers: 2, apis: 2 });
      const couponId = await system.createCoupon(1_000);
      const redis = new Redis(stackAddresses().redisUrl);
      const losses: number[] = [];
      const results = await rush(system, couponId, {
        users: 3_000,
        repeaters: 1_000,
        prefix: couponId,
        // Lost while places remain, with requests admitted and not yet logged in flight.
        onProgress: (done) => {
          if ([300, 900, 1_500].includes(done)) {
            losses.push(done);
            void redis.del(...admissionKeys(couponId));
          }
        },
      });
      await system.waitAllNotified(couponId);
      await redis.quit();

      expect(losses).toHaveLength(3);
      await expectRushInvariants(system, couponId, 1_000, results);
    },
    SCENARIO_TIMEOUT,
  );

  it(
    'when two coupon-apis and two workers share a rush on a Redis Cluster, then the same invariants hold',
    async () => {
      const cluster = await startRedisCluster();
      try {
        system = await startCouponSystem({ workers: 2, apis: 2, redisCluster: cluster.url });
        const couponId = await system.createCoupon(500);
        const results = await rush(system, couponId, {
          users: 1_500,
          repeaters: 500,
          prefix: couponId,
        });
        await system.waitAllNotified(couponId);
        await expectRushInvariants(system, couponId, 500, results);
      } finally {
        await system?.close();
        system = undefined;
        await cluster.stop();
      }
    },
    SCENARIO_TIMEOUT,
  );

  it(
    'when Kafka stops during a rush, then requests are still accepted, /readyz reports the outage, and all resolve after it returns',
    async () => {
      system = await startCouponSystem({ workers: 2 });
      const running = system;
      const couponId = await running.createCoupon(500);
      const before = await rush(running, couponId, {
        users: 300,
        repeaters: 100,
        prefix: `${couponId}-a`,
      });

      await running.broker.stop();
      const during = await rush(running, couponId, {
        users: 600,
        repeaters: 200,
        prefix: `${couponId}-b`,
      });
      const readiness = await fetch(`${running.baseUrl}/readyz`);
      const pendingDuringOutage = await running.prisma.couponRequest.count({
        where: { couponId, status: 'PENDING' },
      });
      await running.broker.start();
      await running.waitAllNotified(couponId, 150_000);

      expect(readiness.status).toBe(503);
      expect(await readiness.json()).toMatchObject({
        checks: { kafka: 'down', database: 'up', redis: 'up' },
      });
      expect(during.filter((r) => r.status === 202).length).toBeGreaterThan(0);
      expect(pendingDuringOutage).toBeGreaterThan(0);
      expect((await fetch(`${running.baseUrl}/readyz`)).status).toBe(200);
      await expectRushInvariants(running, couponId, 500, [...before, ...during]);
    },
    SCENARIO_TIMEOUT,
  );
});
