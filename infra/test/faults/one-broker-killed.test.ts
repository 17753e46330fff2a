import { type DedicatedCluster, startDedicatedCluster } from '@commerce/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFaultHarness, type FaultHarness, leaderOf, waitFor } from './harness.ts';

// Measured on the 2-core CI machine at load ~15 (README, Tests): progress stops for about
// the broker session timeout (9 s) plus leader election and kafkajs' metadata refresh.
const RECOVERY_BOUND_MS = 45_000;

let cluster: DedicatedCluster;
let h: FaultHarness;
beforeAll(async () => {
  cluster = await startDedicatedCluster(3);
  h = await createFaultHarness({
    brokers: cluster.brokers,
    replicationFactor: 3,
    minInsyncReplicas: 2,
  });
}, 360_000);
afterAll(async () => {
  await h?.close();
  await cluster?.destroy();
}, 120_000);

describe('a three-broker cluster losing one broker under load', () => {
  it('when the leader of a partition is SIGKILLed, then the relay and the consumer carry on within the bound, and every row is published and consumed once in effect', async () => {
    await h.relay();
    await h.member(`${h.topic}-g`, 'a');
    const load = h.load();
    await waitFor('warm-up', () => h.consumed.count >= 100, 120_000);

    const victim = await leaderOf(h.kafka, h.topic);
    const killedAt = Date.now();
    await cluster.kill(victim);
    // Producers and consumers must be moving again, well after the fault, before load stops.
    await waitFor(
      'progress after the kill',
      () =>
        h.published.firstAfter(killedAt + 10_000) !== undefined &&
        h.consumed.firstAfter(killedAt + 10_000) !== undefined,
      RECOVERY_BOUND_MS + 30_000,
    );
    await load.stop();
    const loadStoppedAt = Date.now();
    await waitFor('outbox drained', async () => (await h.unpublished()) === 0, 120_000);
    await waitFor('all consumed', async () => (await h.audit()).lost === 0, 120_000);

    const audit = await h.audit();
    const stalls = {
      publishing: h.published.longestGap(killedAt, loadStoppedAt),
      consuming: h.consumed.longestGap(killedAt, loadStoppedAt),
    };
    console.info(
      `one broker (node ${victim}) killed: stalls ${JSON.stringify(stalls)}, ${JSON.stringify(audit)}`,
    );
    expect(audit.written).toBeGreaterThan(200);
    expect(audit.lost).toBe(0);
    expect(audit.doubled).toBe(0);
    expect(stalls.publishing).toBeLessThan(RECOVERY_BOUND_MS);
    expect(stalls.consuming).toBeLessThan(RECOVERY_BOUND_MS);
    await cluster.start(victim);
  }, 420_000);
});
