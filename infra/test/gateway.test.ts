import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@commerce/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localStack } from './support/local-stack.ts';
import { type SeenRequest, startUpstream } from './support/upstream.ts';

// The local gateway as infra/local/stack.sh runs it (Debian's nginx, the container stack's
// template), in a stack folder of its own on a free port, in front of upstreams that answer
// with what they received: what the services behind it would see.

const stateDir = mkdtempSync(join(tmpdir(), 'gateway-test-'));
const names = [
  'coupon-api',
  'order-api',
  'analytics-worker',
  'webhook-relay',
  'coupon-worker',
  'ranking-worker',
] as const;
type Upstream = Awaited<ReturnType<typeof startUpstream>>;
const upstreams = {} as Record<(typeof names)[number], Upstream>;
let gateway = '';
let stack: ReturnType<typeof localStack>;

beforeAll(async () => {
  for (const name of names) upstreams[name] = await startUpstream(name);
  const port = await freePort();
  gateway = `http://127.0.0.1:${port}`;
  stack = localStack(stateDir, {
    GATEWAY_PORT: String(port),
    GATEWAY_URL: gateway,
    COUPON_API_UPSTREAM: upstreams['coupon-api'].address,
    ORDER_API_UPSTREAM: upstreams['order-api'].address,
    ANALYTICS_WORKER_UPSTREAM: upstreams['analytics-worker'].address,
    WEBHOOK_RELAY_UPSTREAM: upstreams['webhook-relay'].address,
    COUPON_WORKER_UPSTREAM: upstreams['coupon-worker'].address,
    RANKING_WORKER_UPSTREAM: upstreams['ranking-worker'].address,
  });
  await stack('up', 'gateway');
}, 90_000);

afterAll(async () => {
  await stack?.('down', 'gateway').catch(() => undefined);
  for (const upstream of Object.values(upstreams)) await upstream.close().catch(() => undefined);
  rmSync(stateDir, { recursive: true, force: true });
});

async function seen(path: string, init: RequestInit = {}) {
  const res = await fetch(`${gateway}${path}`, init);
  return { res, seen: (await res.json()) as SeenRequest };
}

describe('the local gateway', () => {
  it('routes each API prefix to its service, path and method unchanged', async () => {
    const routes: [string, string, string][] = [
      ['POST', '/coupons/issue', 'coupon-api'],
      ['GET', '/coupons/c-1', 'coupon-api'],
      ['GET', '/users/u-1/coupons', 'coupon-api'],
      ['GET', '/products/rankings?days=3', 'order-api'],
      ['POST', '/orders/o-1/pay', 'order-api'],
      ['GET', '/analytics/sales?date=2026-12-01', 'analytics-worker'],
      ['GET', '/webhooks/endpoints', 'webhook-relay'],
    ];
    for (const [method, path, upstream] of routes) {
      const { res, seen: request } = await seen(path, { method });
      expect(res.status, path).toBe(200);
      expect(request, path).toMatchObject({ upstream, method, url: path });
    }
  });

  it("serves each service's own port under /ops/<service>/, the prefix taken off", async () => {
    for (const upstream of names) {
      const { res, seen: request } = await seen(`/ops/${upstream}/metrics?x=1`);
      expect(res.status, upstream).toBe(200);
      expect(request, upstream).toMatchObject({ upstream, url: '/metrics?x=1' });
    }
  });

  it('serves the operator console as static files', async () => {
    const res = await fetch(`${gateway}/console/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await res.text()).toMatch(/<html/i);
  });

  it('when no service serves a path, then it answers a structured 404', async () => {
    const res = await fetch(`${gateway}/admin/secrets`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({
      error: { code: 'ROUTE_NOT_FOUND', message: expect.any(String) },
      requestId: res.headers.get('x-request-id'),
    });
  });

  it('when a client sends TRACE, then the service behind an API path answers it, and the gateway elsewhere', async () => {
    // fetch refuses to send TRACE; nginx refuses it before any location unless told otherwise.
    const trace = (path: string) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = httpRequest(`${gateway}${path}`, { method: 'TRACE' }, (res) => {
          let body = '';
          res.on('data', (chunk: Buffer) => {
            body += chunk.toString();
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        });
        req.on('error', reject).end();
      });
    for (const [path, upstream] of [
      ['/coupons/c-1', 'coupon-api'],
      ['/orders/o-1', 'order-api'],
      ['/webhooks/endpoints', 'webhook-relay'],
    ] as const) {
      const answer = await trace(path);
      expect(answer.status, path).toBe(200);
      expect(JSON.parse(answer.body), path).toMatchObject({ upstream, method: 'TRACE', url: path });
    }
    const elsewhere = await trace('/console/');
    expect(elsewhere.status).toBe(405);
    expect(JSON.parse(elsewhere.body)).toMatchObject({ error: { code: 'METHOD_NOT_ALLOWED' } });
  });

  it('overwrites the X-Forwarded-* a client sends instead of appending to them', async () => {
    const { seen: request } = await seen('/products', {
      headers: {
        'x-forwarded-for': '203.0.113.66',
        'x-forwarded-host': 'evil.example',
        'x-forwarded-proto': 'https',
        'x-forwarded-prefix': '/admin',
        forwarded: 'for=203.0.113.66',
        'x-real-ip': '203.0.113.66',
      },
    });
    expect(request.headers).toMatchObject({
      'x-forwarded-for': '127.0.0.1',
      'x-real-ip': '127.0.0.1',
      'x-forwarded-host': new URL(gateway).hostname,
      'x-forwarded-proto': 'http',
      'x-forwarded-port': new URL(gateway).port,
    });
    expect(request.headers).not.toHaveProperty('x-forwarded-prefix');
    expect(request.headers).not.toHaveProperty('forwarded');
  });

  it("passes a caller's safe X-Request-Id on, and makes one when it is missing or unsafe", async () => {
    const passed = await seen('/orders', { headers: { 'x-request-id': 'client-req-42' } });
    expect(passed.seen.headers['x-request-id']).toBe('client-req-42');
    expect(passed.res.headers.get('x-request-id')).toBe('client-req-42');
    for (const headers of [{}, { 'x-request-id': 'has spaces "and quotes"' }]) {
      const made = await seen('/orders', { headers });
      expect(made.seen.headers['x-request-id']).toMatch(/^[0-9a-f]{32}$/);
      expect(made.res.headers.get('x-request-id')).toBe(made.seen.headers['x-request-id']);
    }
  });

  it('passes server-sent events on as they come, unbuffered', async () => {
    const res = await fetch(`${gateway}/users/u-7/coupon-events`);
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    // The upstream holds the stream open after its first event: a buffering gateway would
    // hold that event back, and this read would time out.
    const first = decoder.decode((await reader.read()).value);
    expect(first).toContain('event: seen');
    expect(JSON.parse(first.split('data: ')[1] ?? '')).toMatchObject({ upstream: 'coupon-api' });
    upstreams['coupon-api'].finishStreams();
    let rest = '';
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read())
      rest += decoder.decode(chunk.value);
    expect(rest).toContain('data: done');
  }, 10_000);

  it('when a service is not running, then its routes answer a structured 502', async () => {
    await upstreams['webhook-relay'].close();
    const res = await fetch(`${gateway}/webhooks/endpoints`);
    expect(res.status).toBe(502);
    expect(await res.json()).toMatchObject({ error: { code: 'UPSTREAM_UNAVAILABLE' } });
  });

  it('when a service stops and comes back, then its routes answer 502 meanwhile and at once after', async () => {
    const address = upstreams['analytics-worker'].address;
    await upstreams['analytics-worker'].close();
    expect((await fetch(`${gateway}/analytics/sales`)).status).toBe(502);
    upstreams['analytics-worker'] = await startUpstream(
      'analytics-worker',
      Number(address.split(':')[1]),
    );
    const { res, seen: request } = await seen('/analytics/sales');
    expect(res.status).toBe(200);
    expect(request.upstream).toBe('analytics-worker');
  });

  it('when the whole stack goes down, then the services and the gateway stop with it', async () => {
    // A process registered where apps.sh keeps a service's pid: `down` must stop it too.
    const service = spawn('sleep', ['300'], { stdio: 'ignore' });
    writeFileSync(join(stateDir, 'run', 'coupon-api.pid'), String(service.pid));
    const exited = new Promise((resolve) => service.once('exit', resolve));
    await stack('down');
    await exited;
    expect(existsSync(join(stateDir, 'run', 'gateway.pid'))).toBe(false);
    await expect(fetch(`${gateway}/gateway/healthz`)).rejects.toThrow();
  }, 60_000);
});
