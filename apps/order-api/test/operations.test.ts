import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Api, createApi } from './support/harness.ts';

let api: Api;
beforeAll(async () => {
  api = await createApi();
});
afterAll(() => api?.close());

describe('operations endpoints', () => {
  it('when the database, Redis and Kafka answer, then /readyz is 200 and /healthz is ok', async () => {
    const ready = await api.app.inject({ method: 'GET', url: '/readyz' });
    const health = await api.app.inject({ method: 'GET', url: '/healthz' });
    expect(ready.json()).toEqual({
      status: 'ready',
      checks: { database: 'up', redis: 'up', kafka: 'up' },
    });
    expect(health.statusCode).toBe(200);
  });

  it('when Redis cannot be reached, then /readyz is 503 naming redis', async () => {
    const broken = await createApi({ env: { REDIS_URL: 'redis://127.0.0.1:1' } });
    try {
      const res = await broken.app.inject({ method: 'GET', url: '/readyz' });
      expect(res.statusCode).toBe(503);
      expect(res.json().checks).toEqual({ database: 'up', redis: 'down', kafka: 'up' });
    } finally {
      await broken.close();
    }
  });

  it('serves the OpenAPI document of every route, and the outbox backlog in /metrics', async () => {
    const doc = (await api.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    const metrics = await api.app.inject({ method: 'GET', url: '/metrics' });
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/orders',
      '/orders/{orderId}',
      '/orders/{orderId}/pay',
      '/products',
      '/products/rankings',
      '/products/{productId}',
    ]);
    expect(
      doc.paths['/orders/{orderId}/pay'].post.requestBody.content['application/json'].schema
        .properties.method.enum,
    ).toEqual(['CARD', 'BANK_TRANSFER', 'WALLET']);
    expect(metrics.body).toMatch(/outbox_backlog_events\{service="order-api"\} 0/);
  });
});
