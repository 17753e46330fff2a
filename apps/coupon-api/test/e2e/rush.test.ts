import {
  type DedicatedDatabaseServer,
  stackAddresses,
  startDedicatedDatabaseServer,
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
    'when a worker holding coupon locks is paused (SIGSTOP) past their expiry and its session, then resumed, then the same invariants hold',
    async () => {
      // Locks of 1 s, a session of 6 s: paused for 9 s while the workers are deciding (the log
      // is filling), the worker loses both, its partitions go to the other worker, and it
      // wakes up holding work it no longer owns; only the database's fences stop it.
      system = await startCouponSystem({ workers: 2, env: { LOCK_TTL_MS: '1000' } });
      const running = system;
      const couponId = await running.createCoupon(1_000);
      const paused = (async () => {
        await running.waitDecided(couponId, 150);
        running.workers[0]?.child.kill('SIGSTOP');
        await new Promise((r) => setTimeout(r, 9_000));
        running.workers[0]?.child.kill('SIGCONT');
      })();

      const results = await rush(running, couponId, {
        users: 3_000,
        repeaters: 1_000,
        prefix: couponId,
        concurrency: 50,
      });
      await paused;
      await running.waitAllNotified(couponId, 150_000);

      await expectRushInvariants(running, couponId, 1_000, results);
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
          await running.waitDecided(couponId, threshold);
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

  it(
    'when MariaDB stops for 20 s during a rush, then the API answers 503 and writes nothing for those requests, the workers wait, and everything resolves exactly once it returns',
    async () => {
      let server: DedicatedDatabaseServer | undefined;
      try {
        server = await startDedicatedDatabaseServer();
        system = await startCouponSystem({ workers: 2, databaseServer: server });
        const running = system;
        const couponId = await running.createCoupon(500);
        const before = await rush(running, couponId, {
          users: 300,
          repeaters: 100,
          prefix: `${couponId}-a`,
        });

        await server.stop();
        const stoppedAt = Date.now();
        // Each of these waits for the database pool's acquire timeout (10 s) before its 503:
        // two waves fill the outage.
        const during = await rush(running, couponId, {
          users: 60,
          repeaters: 10,
          concurrency: 40,
          prefix: `${couponId}-b`,
        });
        const readiness = await fetch(`${running.baseUrl}/readyz`);
        await new Promise((resolve) =>
          setTimeout(resolve, Math.max(0, 20_000 - (Date.now() - stoppedAt))),
        );
        // Still down: the workers must be waiting, alive, with nothing decided in the dark.
        const exited = running.workers.filter((w) => w.child.exitCode !== null);
        expect(exited.map((w) => `${w.name}: ${w.output().slice(-3_000)}`)).toEqual([]);
        await server.start();
        const after = await rush(running, couponId, {
          users: 600,
          repeaters: 100,
          prefix: `${couponId}-c`,
        });
        await running.waitAllNotified(couponId, 150_000);

        expect(readiness.status).toBe(503);
        expect(await readiness.json()).toMatchObject({ checks: { database: 'down' } });
        const refused = during.filter((r) => r.status === 503);
        expect(refused.length).toBeGreaterThan(0);
        expect(new Set(refused.map((r) => r.code))).toEqual(new Set(['DEPENDENCY_UNAVAILABLE']));
        expect(during.filter((r) => r.status !== 503 && r.status !== 409)).toEqual([]);
        // Nothing written for a refused request: a user refused every time has no request.
        const answered = new Set(
          [...before, ...during, ...after].filter((r) => r.status !== 503).map((r) => r.userId),
        );
        const onlyRefused = [...new Set(refused.map((r) => r.userId))].filter(
          (u) => !answered.has(u),
        );
        expect(
          await running.prisma.couponRequest.count({
            where: { couponId, userId: { in: onlyRefused } },
          }),
        ).toBe(0);
        // And no place taken for them: the 500 coupons still all go, to 500 users, once each.
        await expectRushInvariants(
          running,
          couponId,
          500,
          [...before, ...during, ...after].filter((r) => r.status !== 503),
        );
      } finally {
        await server?.start(); // a no-op when running; close() drops the database there
        await system?.close();
        system = undefined;
        await server?.destroy();
      }
    },
    SCENARIO_TIMEOUT,
  );
});
