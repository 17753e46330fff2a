import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliveriesOf } from './support/api.ts';
import { createHarness, type Harness, type Relay } from './support/harness.ts';
import { startReceiver } from './support/receiver.ts';

let harness: Harness;
let relay: Relay;
/** A relay without the loopback allow-list: what production does. */
let strict: Relay;

beforeAll(async () => {
  harness = await createHarness();
  relay = await harness.relay();
  strict = await harness.relay({ DESTINATION_ALLOW_LIST: '' });
});
afterAll(async () => {
  await harness?.close();
});

const endpointRows = async () =>
  (await harness.query<{ n: number }>('SELECT COUNT(*) AS n FROM endpoints'))[0]?.n;

describe('endpoints', () => {
  it('when an endpoint is created, then its secret is shown once and it can be read, changed and deleted', async () => {
    const created = await relay.api('POST', '/webhooks/endpoints', {
      url: 'http://127.0.0.1:9/hook',
      eventTypes: ['PaymentCompleted', 'CouponIssued'],
      description: 'data platform',
      rateLimitPerSecond: 50,
      ordered: true,
    });
    expect(created.status).toBe(201);
    expect(created.body.secret).toMatch(/^whsec_[A-Za-z0-9+/=]{40,}$/);
    const { id } = created.body;

    const read = await relay.api('GET', `/webhooks/endpoints/${id}`);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({
      url: 'http://127.0.0.1:9/hook',
      ordered: true,
      status: 'ENABLED',
    });
    expect(read.body.secret).toBe(undefined);
    const list = await relay.api('GET', '/webhooks/endpoints');
    expect(list.body.items.map((e: { id: string }) => e.id)).toContain(id);
    expect(JSON.stringify(list.body)).not.toContain(created.body.secret);

    const patched = await relay.api('PATCH', `/webhooks/endpoints/${id}`, {
      enabled: false,
      eventTypes: ['CouponIssued'],
      rateLimitPerSecond: null,
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({
      status: 'DISABLED',
      disabledReason: 'MANUAL',
      eventTypes: ['CouponIssued'],
      rateLimitPerSecond: null,
    });

    const rotated = await relay.api('POST', `/webhooks/endpoints/${id}/rotate-secret`);
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).not.toBe(created.body.secret);
    expect(new Date(rotated.body.previousSecretValidUntil).getTime()).toBeGreaterThan(Date.now());

    expect((await relay.api('DELETE', `/webhooks/endpoints/${id}`)).status).toBe(204);
    expect((await relay.api('GET', `/webhooks/endpoints/${id}`)).status).toBe(404);
    expect((await relay.api('DELETE', `/webhooks/endpoints/${id}`)).status).toBe(404);
  });

  it('when the destination is private, loopback, link-local or metadata, then it is refused with a clear error', async () => {
    const before = await endpointRows();
    for (const url of [
      'http://127.0.0.1/hook',
      'http://10.0.0.5/hook',
      'http://192.168.1.10/hook',
      'http://169.254.169.254/latest/meta-data',
      'http://[::1]/hook',
      'http://[::ffff:127.0.0.1]/hook',
      'http://0x7f000001/hook',
      'http://localhost/hook',
    ]) {
      const refused = await strict.api('POST', '/webhooks/endpoints', {
        url,
        eventTypes: ['PaymentCompleted'],
      });
      expect(refused.status, url).toBe(422);
      expect(refused.body.error.code, url).toBe('DESTINATION_FORBIDDEN');
      expect(refused.body.error.message, url).toMatch(/public addresses/);
    }
    const unresolvable = await strict.api('POST', '/webhooks/endpoints', {
      url: 'https://no-such-host.invalid/hook',
      eventTypes: ['PaymentCompleted'],
    });
    expect(unresolvable.body.error.code).toBe('DESTINATION_UNRESOLVABLE');
    expect(await endpointRows()).toBe(before);
  });

  it('when an endpoint is changed to a forbidden URL, then the change is refused and nothing changes', async () => {
    const created = await relay.api('POST', '/webhooks/endpoints', {
      url: 'http://127.0.0.1:9/hook',
      eventTypes: ['PaymentCompleted'],
    });
    const refused = await strict.api('PATCH', `/webhooks/endpoints/${created.body.id}`, {
      url: 'http://10.1.2.3/hook',
    });
    expect(refused.status).toBe(422);
    expect((await relay.api('GET', `/webhooks/endpoints/${created.body.id}`)).body.url).toBe(
      'http://127.0.0.1:9/hook',
    );
  });

  it('when the operator key is missing or wrong, then every route answers 401', async () => {
    const routes: [string, string][] = [
      ['GET', '/webhooks/endpoints'],
      ['POST', '/webhooks/endpoints'],
      ['GET', '/webhooks/deliveries'],
      ['POST', `/webhooks/deliveries/${crypto.randomUUID()}/replay`],
    ];
    for (const [method, url] of routes)
      for (const key of [undefined, 'wrong-key-wrong-key-wrong']) {
        const response = await relay.app.inject({
          method: method as 'GET',
          url,
          headers: key ? { 'x-api-key': key } : {},
          payload: method === 'POST' ? {} : undefined,
        });
        expect(response.statusCode, `${method} ${url}`).toBe(401);
        expect(response.json().error.code).toBe('OPERATOR_KEY_REQUIRED');
      }
  });

  it('when the input is bad on any route, then the answer is a structured 4xx and nothing is written', async () => {
    const before = await endpointRows();
    const id = crypto.randomUUID();
    const bad: ['GET' | 'POST' | 'PATCH' | 'DELETE', string, object | undefined, number][] = [
      ['POST', '/webhooks/endpoints', {}, 400],
      [
        'POST',
        '/webhooks/endpoints',
        { url: 'ftp://127.0.0.1/x', eventTypes: ['PaymentCompleted'] },
        400,
      ],
      ['POST', '/webhooks/endpoints', { url: 'not a url', eventTypes: ['PaymentCompleted'] }, 400],
      ['POST', '/webhooks/endpoints', { url: 'http://127.0.0.1/x', eventTypes: [] }, 400],
      [
        'POST',
        '/webhooks/endpoints',
        { url: 'http://127.0.0.1/x', eventTypes: ['OrderCompleted'] },
        400,
      ],
      [
        'POST',
        '/webhooks/endpoints',
        { url: 'http://127.0.0.1/x', eventTypes: ['PaymentCompleted'], rateLimitPerSecond: 0 },
        400,
      ],
      [
        'POST',
        '/webhooks/endpoints',
        { url: 'http://127.0.0.1/x', eventTypes: ['PaymentCompleted'], extra: 1 },
        400,
      ],
      [
        'POST',
        '/webhooks/endpoints',
        { url: 'http://user:pw@127.0.0.1/x', eventTypes: ['PaymentCompleted'] },
        422,
      ],
      ['GET', '/webhooks/endpoints/not-a-uuid', undefined, 400],
      ['GET', `/webhooks/endpoints/${id}`, undefined, 404],
      ['PATCH', `/webhooks/endpoints/${id}`, {}, 400],
      ['PATCH', `/webhooks/endpoints/${id}`, { enabled: 'yes' }, 400],
      ['PATCH', `/webhooks/endpoints/${id}`, { enabled: true }, 404],
      ['DELETE', '/webhooks/endpoints/nope', undefined, 400],
      ['POST', `/webhooks/endpoints/${id}/rotate-secret`, undefined, 404],
      ['GET', `/webhooks/endpoints/${id}/stats`, undefined, 404],
      ['GET', '/webhooks/deliveries?status=LOST', undefined, 400],
      ['GET', '/webhooks/deliveries?from=yesterday', undefined, 400],
      ['GET', '/webhooks/deliveries?limit=0', undefined, 400],
      ['GET', `/webhooks/deliveries/${id}`, undefined, 404],
      ['POST', `/webhooks/deliveries/${id}/replay`, undefined, 404],
      ['POST', '/webhooks/deliveries/x/replay', undefined, 400],
      [
        'POST',
        `/webhooks/endpoints/${id}/replay-dead-letters`,
        { from: '2026-12-02T00:00:00Z' },
        400,
      ],
      [
        'POST',
        `/webhooks/endpoints/${id}/replay-dead-letters`,
        { from: '2026-12-02T00:00:00Z', to: '2026-12-01T00:00:00Z' },
        400,
      ],
      [
        'POST',
        `/webhooks/endpoints/${id}/replay-dead-letters`,
        { from: '2026-12-01T00:00:00Z', to: '2026-12-02T00:00:00Z' },
        404,
      ],
    ];
    for (const [method, url, payload, status] of bad) {
      const response = await relay.api(method, url, payload);
      expect(response.status, `${method} ${url} ${JSON.stringify(payload)}`).toBe(status);
      expect(response.body.error.code).toMatch(/^[A-Z_]+$/);
      expect(typeof response.body.requestId).toBe('string');
    }
    expect(await endpointRows()).toBe(before);
  });

  it('when a destination allowed at creation resolves to a forbidden address at delivery, then the POST is never made', async () => {
    const receiver = await startReceiver();
    // Created where loopback is allowed; delivered by a relay where it is not: the name
    // now "resolves" to a forbidden address, as after DNS rebinding.
    const byName = await relay.api('POST', '/webhooks/endpoints', {
      url: `http://localhost:${receiver.port}/hook`,
      eventTypes: ['CouponIssued'],
    });
    const byLiteral = await relay.api('POST', '/webhooks/endpoints', {
      url: receiver.url,
      eventTypes: ['CouponIssued'],
    });
    expect([byName.status, byLiteral.status]).toEqual([201, 201]);
    await relay.stop();
    await harness.publishCoupons(1);
    for (const endpoint of [byName.body, byLiteral.body])
      await harness.waitFor('a refused attempt', 30_000, async () => {
        const [delivery] = await deliveriesOf(strict, endpoint.id);
        return (delivery?.attempts ?? 0) >= 1;
      });
    for (const endpoint of [byName.body, byLiteral.body]) {
      const [delivery] = await deliveriesOf(strict, endpoint.id);
      expect(delivery?.status).toBe('FAILED');
      expect(delivery?.attemptLog[0]?.statusCode).toBe(null);
      expect(delivery?.lastError).toMatch(/DESTINATION_FORBIDDEN/);
    }
    expect(receiver.received).toHaveLength(0);
    await receiver.close();
  }, 60_000);
});
