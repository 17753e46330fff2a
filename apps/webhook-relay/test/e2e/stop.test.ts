import { shutdownGraceMs } from '@commerce/service';
import { signalMidBatch } from '@commerce/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../support/harness.ts';
import { type Receiver, startReceiver } from '../support/receiver.ts';
import { startRelayProcess } from '../support/relay-process.ts';

let harness: Harness | undefined;
let receiver: Receiver | undefined;
const processes: { kill(signal?: NodeJS.Signals): Promise<void> }[] = [];
afterAll(async () => {
  for (const p of processes) await p.kill('SIGKILL').catch(() => undefined);
  await receiver?.close();
  await harness?.close();
});

describe('a relay stopped while deliveries are in flight', () => {
  it('when it gets SIGTERM mid-batch, then it exits within its grace period having recorded exactly the POSTs it sent, and after a restart every delivery arrives once', async () => {
    // Four POSTs at a time, each answered after 800 ms: the signal lands with a round in
    // flight and the rest of the claimed batch queued.
    const h = await createHarness({ ENDPOINT_CONCURRENCY: '4' });
    harness = h;
    const r = await startReceiver(() => ({ status: 200, delayMs: 800 }));
    receiver = r;
    const statuses = async () =>
      Object.fromEntries(
        (
          await h.query<{ status: string; n: number }>(
            'SELECT status, COUNT(*) AS n FROM deliveries GROUP BY status',
          )
        ).map((row) => [row.status, Number(row.n)]),
      );
    const first = await startRelayProcess(h.env);
    processes.push(first);
    const created = await first.api('POST', '/webhooks/endpoints', {
      url: r.url,
      eventTypes: ['PaymentCompleted'],
    });
    expect(created.status).toBe(201);
    await h.publishPayments(40);

    const exit = await signalMidBatch(first, 'SIGTERM', async () => r.received.length > 0);
    // Exit 0: the stop finished by itself (the grace timer exits 1).
    expect(exit.code, first.output().slice(-4_000)).toBe(0);
    expect(exit.exitMs).toBeLessThan(shutdownGraceMs);
    const sent = r.received.length;
    expect(sent).toBeLessThan(40);
    // The POSTs in flight were awaited and recorded; the queued claims went back to due.
    const atStop = await statuses();
    expect(atStop.COMPLETED).toBe(sent);
    expect(atStop.IN_PROGRESS).toBeUndefined();

    const second = await startRelayProcess(h.env);
    processes.push(second);
    await h.waitFor('40 deliveries completed', 30_000, async () => {
      return (await statuses()).COMPLETED === 40;
    });
    // Give a duplicate the time to show up before counting.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(r.received).toHaveLength(40);
    expect(r.uniqueIds()).toHaveLength(40);
    await second.kill('SIGTERM');
  }, 90_000);
});
