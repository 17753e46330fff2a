import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { mixedEvents } from './support/events.ts';
import { expectedAggregates } from './support/expected.ts';
import { createHarness, type Harness } from './support/harness.ts';

/** A real analytics platform stand-in on 127.0.0.1: answers 503 while `down`, else 200 once per key. */
async function startReceiver() {
  const state = {
    down: true,
    refused: 0,
    accepted: [] as { key: string; eventIds: string[] }[],
    repeatedKeys: [] as string[],
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const key = String(req.headers['idempotency-key']);
      if (state.down) {
        state.refused++;
        res.writeHead(503).end();
        return;
      }
      if (state.accepted.some((a) => a.key === key)) {
        state.repeatedKeys.push(key);
        res.writeHead(409).end();
        return;
      }
      const { facts } = JSON.parse(Buffer.concat(chunks).toString());
      const eventIds = [...facts.orders, ...facts.stockChanges, ...facts.couponResults].map(
        (f: { eventId: string }) => f.eventId,
      );
      state.accepted.push({ key, eventIds });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"accepted":true}');
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    state,
    url: `http://127.0.0.1:${port}/batches`,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

let h: Harness | undefined;
let receiver: Awaited<ReturnType<typeof startReceiver>> | undefined;
afterEach(async () => {
  await h?.close();
  await receiver?.close();
});

describe('the HTTP sink', () => {
  it('when the platform is down and then recovers, then nothing is committed meanwhile and it receives every event, each key accepted once', async () => {
    receiver = await startReceiver();
    h = await createHarness({
      SINK_DATABASE: 'false',
      SINK_HTTP_URL: receiver.url,
      BATCH_MAX_RECORDS: '50',
    });
    const events = mixedEvents(300, 7);
    await h.publish(events);
    const worker = await h.worker();
    let pauses = 0;
    worker.runner.on('paused', () => pauses++);

    await expect.poll(() => pauses, { timeout: 20_000 }).toBeGreaterThanOrEqual(3);
    expect(await h.lag()).toBe(events.length);
    expect(receiver.state.accepted).toEqual([]);

    receiver.state.down = false;
    await expect.poll(() => h?.lag(), { timeout: 30_000, interval: 200 }).toBe(0);
    expect(receiver.state.refused).toBeGreaterThan(0);
    expect(receiver.state.repeatedKeys).toEqual([]);
    const received = receiver.state.accepted.flatMap((a) => a.eventIds);
    expect(new Set(received).size).toBe(received.length);
    expect(new Set(received)).toEqual(new Set(events.map((e) => e.payload.eventId)));
    for (const { key } of receiver.state.accepted) expect(key).toMatch(/^.+:[0-2]:\d+-\d+$/);
  });

  it('when the platform is down while the database sink is on too, then the batches retried for the platform count once in the database', async () => {
    receiver = await startReceiver();
    h = await createHarness({ SINK_HTTP_URL: receiver.url, BATCH_MAX_RECORDS: '50' });
    const events = mixedEvents(200, 9);
    await h.publish(events);
    const worker = await h.worker();
    let pauses = 0;
    worker.runner.on('paused', () => pauses++);
    await expect.poll(() => pauses, { timeout: 20_000 }).toBeGreaterThanOrEqual(3);
    // The database took the batches already; the platform has not.
    expect((await h.aggregates()).facts.couponResults).toBeGreaterThan(0);

    receiver.state.down = false;
    await expect.poll(() => h?.lag(), { timeout: 30_000, interval: 200 }).toBe(0);
    expect(await h.aggregates()).toEqual(expectedAggregates(events));
    expect(new Set(receiver.state.accepted.flatMap((a) => a.eventIds)).size).toBe(events.length);
  });
});
