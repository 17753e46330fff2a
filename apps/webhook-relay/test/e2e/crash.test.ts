import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../support/harness.ts';
import { type Receiver, startReceiver } from '../support/receiver.ts';
import { startRelayProcess } from '../support/relay-process.ts';

let harness: Harness;
let receiver: Receiver;
const processes: { kill(signal?: NodeJS.Signals): Promise<void> }[] = [];

beforeAll(async () => {
  // Long enough that the restarted relay is up before the retries fall due, even on a loaded machine.
  harness = await createHarness({ RETRY_SCHEDULE: '12s' });
  // Each delivery's first POST fails, its second succeeds.
  const seen = new Set<string>();
  receiver = await startReceiver((_, r) => {
    if (seen.has(r.id)) return { status: 200 };
    seen.add(r.id);
    return { status: 500 };
  });
});
afterAll(async () => {
  for (const p of processes) await p.kill('SIGKILL').catch(() => undefined);
  await receiver?.close();
  await harness?.close();
});

describe('a relay killed while retries are pending', () => {
  it('when it is SIGKILLed and restarted, then every retry still happens on time and none twice', async () => {
    const first = await startRelayProcess(harness.env);
    processes.push(first);
    const created = await first.api('POST', '/webhooks/endpoints', {
      url: receiver.url,
      eventTypes: ['PaymentCompleted'],
    });
    expect(created.status).toBe(201);
    await harness.publishPayments(20);
    await harness.waitFor('20 first attempts recorded', 20_000, async () => {
      const [row] = await harness.query<{ n: number }>(
        "SELECT COUNT(*) AS n FROM deliveries WHERE status = 'FAILED'",
      );
      return row?.n === 20;
    });
    const due = new Map(
      (
        await harness.query<{ id: string; next_attempt_at: Date }>(
          'SELECT id, next_attempt_at FROM deliveries',
        )
      ).map((row) => [row.id, row.next_attempt_at.getTime()]),
    );
    await first.kill('SIGKILL');
    expect(receiver.received).toHaveLength(20);

    const second = await startRelayProcess(harness.env);
    processes.push(second);
    await harness.waitFor('20 retries', 30_000, async () => receiver.received.length >= 40);
    // Give a duplicate the time to show up before counting.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(receiver.received).toHaveLength(40);
    const retries = receiver.received.slice(20);
    expect(new Set(retries.map((r) => r.id)).size).toBe(20);
    for (const retry of retries) {
      const dueAt = due.get(retry.id) ?? 0;
      expect(retry.at).toBeGreaterThanOrEqual(dueAt - 20);
      expect(retry.at - dueAt).toBeLessThan(1_000);
    }
    await second.kill('SIGTERM');
  }, 90_000);
});
