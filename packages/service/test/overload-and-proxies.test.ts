import { setTimeout as sleep } from 'node:timers/promises';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createHttpShell } from '../src/http/app.ts';

const logger = pino({ level: 'silent' });

describe('overload shedding', () => {
  it('when the heap is over its limit, then requests get 503 OVERLOADED with Retry-After before any work; /healthz and /metrics still answer', async () => {
    const app = await createHttpShell({
      service: 'overload-test',
      logger,
      // 1 byte: over the limit from the first sample on.
      overload: {
        maxEventLoopDelayMs: 0,
        maxHeapUsedBytes: 1,
        retryAfterSeconds: 7,
        sampleIntervalMs: 20,
      },
    });
    let handled = 0;
    app.post('/work', async () => ({ handled: ++handled }));
    await app.ready();
    await sleep(100);

    const shed = await app.inject({ method: 'POST', url: '/work', payload: {} });
    expect(shed.statusCode).toBe(503);
    expect(shed.headers['retry-after']).toBe('7');
    expect(shed.json()).toMatchObject({
      error: { code: 'OVERLOADED', details: { cause: 'heapUsedBytes' } },
    });
    expect(handled).toBe(0);
    expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(200);
    await app.close();
  });

  it('when the limits are not reached, then requests are served', async () => {
    const app = await createHttpShell({
      service: 'overload-test',
      logger,
      overload: {
        maxEventLoopDelayMs: 5_000,
        maxHeapUsedBytes: 8 * 1024 ** 3,
        retryAfterSeconds: 7,
        sampleIntervalMs: 20,
      },
    });
    app.post('/work', async () => ({ ok: true }));
    await sleep(100);
    expect((await app.inject({ method: 'POST', url: '/work', payload: {} })).statusCode).toBe(200);
    await app.close();
  });
});

describe('writes in flight', () => {
  it('when the bound of writes in progress is reached, then the next write is shed with 503 at once, reads pass, and the place is given back when a write ends', async () => {
    const app = await createHttpShell({
      service: 'in-flight-test',
      logger,
      overload: {
        maxEventLoopDelayMs: 0,
        maxHeapUsedBytes: 0,
        retryAfterSeconds: 2,
        maxWritesInFlight: 2,
      },
    });
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    app.post('/slow', async () => {
      await held;
      return { done: true };
    });
    app.get('/read', async () => ({ ok: true }));
    const slow = () => app.inject({ method: 'POST', url: '/slow', payload: {} });

    const first = [slow(), slow()];
    await sleep(50);
    const shed = await slow();
    expect(shed.statusCode).toBe(503);
    expect(shed.headers['retry-after']).toBe('2');
    expect(shed.json().error).toMatchObject({
      code: 'OVERLOADED',
      details: { cause: 'writesInFlight' },
    });
    expect((await app.inject({ method: 'GET', url: '/read' })).statusCode).toBe(200);
    release();
    expect((await Promise.all(first)).map((r) => r.statusCode)).toEqual([200, 200]);
    expect((await slow()).statusCode).toBe(200);
    await app.close();
  });
});

describe('trusted proxies', () => {
  async function clientAddress(trustedProxies: string[] | undefined) {
    const app = await createHttpShell({
      service: 'proxy-test',
      logger,
      ...(trustedProxies ? { trustedProxies } : {}),
    });
    app.get('/ip', async (request) => ({ ip: request.ip }));
    const res = await app.inject({
      method: 'GET',
      url: '/ip',
      remoteAddress: '10.0.0.2',
      headers: { 'x-forwarded-for': '203.0.113.9' },
    });
    return res.json().ip as string;
  }

  it('when the request comes from a trusted gateway, then X-Forwarded-For is the client address; from anyone else, it is ignored', async () => {
    expect(await clientAddress(['10.0.0.2'])).toBe('203.0.113.9');
    expect(await clientAddress(['10.0.0.0/24'])).toBe('203.0.113.9');
    expect(await clientAddress(['10.0.0.9'])).toBe('10.0.0.2');
    expect(await clientAddress(undefined)).toBe('10.0.0.2');
  });
});
