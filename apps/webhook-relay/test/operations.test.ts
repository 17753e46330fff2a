import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './support/harness.ts';
import { type Receiver, startReceiver } from './support/receiver.ts';
import { startRelayProcess } from './support/relay-process.ts';

let harness: Harness;
let receiver: Receiver;
let relay: Awaited<ReturnType<typeof startRelayProcess>>;

beforeAll(async () => {
  harness = await createHarness({ RETRY_SCHEDULE: '100ms' });
  // Each delivery's first POST fails, its retry succeeds.
  const seen = new Set<string>();
  receiver = await startReceiver((_, r) => {
    const first = !seen.has(r.id);
    seen.add(r.id);
    return { status: first ? 500 : 200 };
  });
  relay = await startRelayProcess(harness.env, 'debug');
});
afterAll(async () => {
  await relay?.kill();
  await receiver?.close();
  await harness?.close();
});

describe('operations', () => {
  it('serves health, readiness, OpenAPI and the delivery metrics', async () => {
    expect((await fetch(`${relay.base}/healthz`)).status).toBe(200);
    const ready = await fetch(`${relay.base}/readyz`);
    expect(ready.status).toBe(200);
    const openapi = (await (await fetch(`${relay.base}/openapi.json`)).json()) as { paths: object };
    for (const path of [
      '/webhooks/endpoints',
      '/webhooks/endpoints/{id}',
      '/webhooks/endpoints/{id}/rotate-secret',
      '/webhooks/endpoints/{id}/stats',
      '/webhooks/endpoints/{id}/replay-dead-letters',
      '/webhooks/deliveries',
      '/webhooks/deliveries/{id}/replay',
    ])
      expect(Object.keys(openapi.paths)).toContain(path);

    const created = await relay.api('POST', '/webhooks/endpoints', {
      url: receiver.url,
      eventTypes: ['PaymentCompleted'],
    });
    expect(created.status).toBe(201);
    await harness.publishPayments(2);
    await harness.waitFor('two delivered', 20_000, async () => {
      const [row] = await harness.query<{ n: number }>(
        "SELECT COUNT(*) AS n FROM deliveries WHERE status = 'COMPLETED'",
      );
      return row?.n === 2;
    });
    const metrics = await (await fetch(`${relay.base}/metrics`)).text();
    expect(metrics).toMatch(
      /webhook_attempts_total\{outcome="delivered",status="COMPLETED"[^}]*\} 2/,
    );
    expect(metrics).toMatch(/webhook_attempts_total\{outcome="http_500",status="FAILED"[^}]*\} 2/);
    expect(metrics).toMatch(/webhook_attempt_duration_seconds_count\{[^}]*\} 4/);
    expect(metrics).toMatch(/webhook_due_retries\{[^}]*\} 0/);
    expect(metrics).toContain('webhook_dead_letters_total');
    expect(metrics).toContain('webhook_endpoints_disabled');
    expect(metrics).toContain('webhook_attempt_lateness_seconds_bucket');
  });

  it('never writes a signing secret to its logs, even at debug', async () => {
    const created = await relay.api('POST', '/webhooks/endpoints', {
      url: receiver.url,
      eventTypes: ['PaymentCompleted'],
    });
    const rotated = await relay.api('POST', `/webhooks/endpoints/${created.body.id}/rotate-secret`);
    await harness.publishPayments(1);
    const before = receiver.received.length;
    await harness.waitFor('a delivery', 20_000, async () => receiver.received.length > before);
    const secrets: string[] = [created.body.secret, rotated.body.secret];
    const logs = relay.output();
    expect(logs).toContain('webhook-relay started');
    for (const secret of secrets) {
      expect(secret).toMatch(/^whsec_/);
      expect(logs).not.toContain(secret);
      expect(logs).not.toContain(secret.slice('whsec_'.length));
    }
  });
});
