import { type DedicatedCluster, startDedicatedCluster } from '@commerce/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createFaultHarness, type FaultHarness, leaderOf, waitFor } from './harness.ts';

// One cluster for the file: three JVMs take a minute or two to start on the 2-core CI
// machine, and the scenarios run one after another anyway. Each test gets a topic and a
// database of its own, and afterEach brings every node back.
//
// The bound on a stall (no row published, or no event consumed, while the load runs).
// Measured (README, Tests): about 15 s, the broker session timeout (9 s) plus leader
// election and kafkajs' metadata refresh; the bound leaves room for a loaded machine.
const STALL_BOUND_MS = 45_000;
const nodes = [1, 2, 3];

let cluster: DedicatedCluster;
const down = new Set<number>();
const harnesses: FaultHarness[] = [];
beforeAll(async () => {
  cluster = await startDedicatedCluster(3);
}, 360_000);
afterEach(async () => {
  await Promise.all(harnesses.splice(0).map((h) => h.close()));
  for (const node of down) await cluster.start(node);
  down.clear();
}, 300_000);
afterAll(() => cluster?.destroy(), 120_000);

async function harness(): Promise<FaultHarness> {
  const h = await createFaultHarness({
    brokers: cluster.brokers,
    replicationFactor: 3,
    minInsyncReplicas: 2,
  });
  harnesses.push(h);
  return h;
}

/** A harness with a relay publishing the load and one consumer applying it, warmed up. */
async function underLoad() {
  const h = await harness();
  await h.relay();
  await h.member(`${h.topic}-g`, 'a');
  const load = h.load();
  await waitFor('warm-up', () => h.consumed.count >= 100, 120_000);
  return { h, load };
}

/** The members consuming lately are exactly `members`, each with partitions no other has, all six covered. */
function isSplit(byMember: Record<string, number[]>, members: string[]): boolean {
  const partitions = Object.values(byMember).flat();
  return (
    Object.keys(byMember).sort().join() === members.join() &&
    partitions.length === 6 &&
    new Set(partitions).size === 6
  );
}

async function kill(node: number): Promise<number> {
  down.add(node);
  await cluster.kill(node);
  return Date.now();
}

/** Resolves once rows were published and events consumed `afterMs` or more after `since`. */
const carryOn = (h: FaultHarness, since: number, afterMs = 10_000) =>
  waitFor(
    'progress after the fault',
    () =>
      h.published.firstAfter(since + afterMs) !== undefined &&
      h.consumed.firstAfter(since + afterMs) !== undefined,
    STALL_BOUND_MS + afterMs + 30_000,
  );

/** Stops the load, waits until every row is published and consumed, and audits the effects. */
async function drain(h: FaultHarness, load: { stop(): Promise<void> }) {
  await load.stop();
  const stoppedAt = Date.now();
  await waitFor('outbox drained', async () => (await h.unpublished()) === 0, 180_000);
  await waitFor('every row consumed', async () => (await h.audit()).lost === 0, 180_000).catch(
    async (err: Error) => {
      const state = {
        audit: await h.audit(),
        incidents: h.incidents.slice(0, 20),
        lost: await h.whereAreTheLost(),
      };
      throw new Error(`${err.message}: ${JSON.stringify(state)}`);
    },
  );
  return { stoppedAt, audit: await h.audit() };
}

describe('a three-broker cluster (RF 3, min ISR 2) under outbox and consumer load', () => {
  it('when one broker (a partition leader) is SIGKILLed, then publishing and consuming stall less than the bound, and every row is published and consumed once in effect', async () => {
    const { h, load } = await underLoad();

    const victim = await leaderOf(h.kafka, h.topic);
    const killedAt = await kill(victim);
    await carryOn(h, killedAt);
    const { stoppedAt, audit } = await drain(h, load);

    const stalls = {
      publishing: h.published.longestGap(killedAt, stoppedAt),
      consuming: h.consumed.longestGap(killedAt, stoppedAt),
    };
    console.info(
      `node ${victim} killed: stalls ${JSON.stringify(stalls)} ms, ${JSON.stringify(audit)}`,
    );
    expect(audit.written).toBeGreaterThan(200);
    expect(audit).toMatchObject({ lost: 0, doubled: 0 });
    expect(stalls.publishing).toBeLessThan(STALL_BOUND_MS);
    expect(stalls.consuming).toBeLessThan(STALL_BOUND_MS);
  }, 480_000);

  it('when a second broker dies (one of three left), then sends fail instead of being acknowledged, the outbox holds every new row, and once a broker returns everything is published and consumed once in effect', async () => {
    const { h, load } = await underLoad();

    const probe = await h.producer(); // connected while the cluster is whole
    const first = await leaderOf(h.kafka, h.topic);
    await carryOn(h, await kill(first), 5_000);
    const second = nodes.find((n) => n !== first) as number;
    const secondKilledAt = await kill(second);

    const sendStarted = Date.now();
    const send = await probe.publish(Array.from({ length: 12 }, (_, i) => h.event(i))).then(
      () => 'acknowledged',
      (err: Error) => `failed: ${err.name}`,
    );
    const sendFailedAfterMs = Date.now() - sendStarted;
    // The load goes on writing during the outage: at least 10 s of rows nobody can publish.
    await waitFor('outage load', () => Date.now() - secondKilledAt >= 10_000, 20_000);
    const heldBack = await h.unpublished();
    const publishedDuringOutage = await h.publishedSince(secondKilledAt);

    await cluster.start(second);
    down.delete(second);
    const returnedAt = Date.now();
    await waitFor('backlog published', async () => (await h.unpublished()) < 20, 180_000);
    const publishedAgainAfterMs = Date.now() - returnedAt;
    const { audit } = await drain(h, load);

    console.info(
      `nodes ${first} and ${second} killed: probe send ${send} after ${sendFailedAfterMs} ms, ${heldBack} rows held back, published ${publishedAgainAfterMs} ms after node ${second} returned; ${JSON.stringify(audit)}`,
    );
    expect(send).toMatch(/^failed/);
    expect(publishedDuringOutage).toBe(0);
    expect(heldBack).toBeGreaterThanOrEqual(50);
    expect(audit).toMatchObject({ lost: 0, doubled: 0 });
  }, 600_000);

  it('when a consumer group grows from 1 to 3 members and shrinks back to 1 under load, then it converges each time and nothing is lost or applied twice', async () => {
    const h = await harness();
    await h.relay();
    const group = `${h.topic}-g`;
    await h.member(group, 'a');
    const load = h.load();
    await waitFor('warm-up', () => h.consumed.count >= 100, 120_000);

    const grownAt = Date.now();
    const others = [await h.member(group, 'b'), await h.member(group, 'c')];
    const convergedAfterMs = await waitFor(
      'three members each consuming their own partitions',
      async () => isSplit(await h.partitionsByMember(Date.now() - 2_000), ['a', 'b', 'c']),
      120_000,
      500,
    );
    const shrunkAt = Date.now();
    await Promise.all(others.map((m) => m.stop()));
    const backToOneAfterMs = await waitFor(
      'the last member consuming every partition',
      async () => isSplit(await h.partitionsByMember(Date.now() - 2_000), ['a']),
      120_000,
      500,
    );
    const { stoppedAt, audit } = await drain(h, load);
    await waitFor('group lag 0', async () => (await h.lag(group)) === 0, 60_000);

    const stall = h.consumed.longestGap(grownAt, stoppedAt);
    console.info(
      `1 -> 3 -> 1: 3 members converged ${convergedAfterMs} ms after joining, 1 member ${backToOneAfterMs} ms after the others left (at +${shrunkAt - grownAt} ms), longest consumer stall ${stall} ms, ${JSON.stringify(audit)}`,
    );
    expect(audit).toMatchObject({ lost: 0, doubled: 0 });
    expect(stall).toBeLessThan(STALL_BOUND_MS);
  }, 480_000);
});
