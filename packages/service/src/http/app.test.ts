import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DomainError } from '../errors.ts';
import { redactedPaths } from '../logger.ts';
import { createHttpShell } from './app.ts';

async function build(readiness = {}) {
  const app = await createHttpShell({
    service: 'test-api',
    logger: pino({ level: 'silent' }),
    statusByCode: { SOLD_OUT: 409 },
    readiness,
    bodyLimit: 1_024,
  });
  app.post(
    '/things',
    {
      schema: {
        body: z.object({ name: z.string().max(20) }).strict(),
        response: { 201: z.object({ id: z.string() }) },
      },
    },
    async (request, reply) => {
      if (request.body.name === 'sold-out') throw new DomainError('SOLD_OUT', 'no more things');
      if (request.body.name === 'bug') throw new Error('secret stack detail');
      if (request.body.name === 'db-down')
        throw Object.assign(new Error('pool timeout at 10.0.0.5'), {
          code: 'P2010',
          meta: { driverAdapterError: { cause: { originalCode: '45028' } } },
        });
      return reply.status(201).send({ id: `thing-${request.body.name}` });
    },
  );
  return app;
}

describe('HTTP shell', () => {
  it('when the body breaks the schema, then 400 lists each offending field', async () => {
    const app = await build();
    const res = await app.inject({
      method: 'POST',
      url: '/things',
      payload: { name: 7, extra: true },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({
      error: {
        code: 'VALIDATION_FAILED',
        details: expect.arrayContaining([expect.objectContaining({ path: 'body.name' })]),
      },
      requestId: expect.any(String),
    });
  });

  it('when a domain error is thrown, then its code gets its mapped status', async () => {
    const app = await build();
    const res = await app.inject({ method: 'POST', url: '/things', payload: { name: 'sold-out' } });
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toEqual({ code: 'SOLD_OUT', message: 'no more things' });
  });

  it('when a handler fails unexpectedly, then 500 hides the details', async () => {
    const app = await build();
    const res = await app.inject({ method: 'POST', url: '/things', payload: { name: 'bug' } });
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toContain('secret');
    expect(res.json().error.code).toBe('INTERNAL');
  });

  it('when a dependency is unavailable, then 503 asks to retry and hides the details', async () => {
    const app = await build();
    const res = await app.inject({ method: 'POST', url: '/things', payload: { name: 'db-down' } });
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('1');
    expect(res.body).not.toContain('10.0.0.5');
    expect(res.json().error.code).toBe('DEPENDENCY_UNAVAILABLE');
  });

  it('when the body is too large or not JSON, then it is a structured 4xx', async () => {
    const app = await build();
    const big = await app.inject({
      method: 'POST',
      url: '/things',
      payload: { name: 'x'.repeat(5_000) },
    });
    const garbled = await app.inject({
      method: 'POST',
      url: '/things',
      headers: { 'content-type': 'application/json' },
      payload: '{"name":',
    });
    expect(big.statusCode).toBe(413);
    expect(big.json().error.code).toBe('FST_ERR_CTP_BODY_TOO_LARGE');
    expect(garbled.statusCode).toBe(400);
    expect(garbled.json().error.code).toBe('FST_ERR_CTP_INVALID_JSON_BODY');
  });

  it('takes the request id from X-Request-Id and echoes it', async () => {
    const app = await build();
    const res = await app.inject({
      method: 'GET',
      url: '/nowhere',
      headers: { 'x-request-id': 'req-123' },
    });
    expect(res.statusCode).toBe(404);
    expect(res.headers['x-request-id']).toBe('req-123');
    expect(res.json()).toMatchObject({ error: { code: 'ROUTE_NOT_FOUND' }, requestId: 'req-123' });
  });

  it('when a known path is called with a method it does not serve, then 405 names the allowed ones', async () => {
    const app = await build();
    app.get('/things/:thingId', async () => ({}));
    app.post('/things/special', async () => ({}));
    app.register(async (child) => {
      child.delete('/things/:thingId', async () => ({}));
    });
    for (const [method, url, allow] of [
      ['PUT', '/things', 'POST'],
      ['PATCH', '/things/t-1?x=1', 'DELETE, GET, HEAD'],
      ['POST', '/openapi.json', 'GET, HEAD'],
      // A QUERY without Content-Type would be refused with 400 before routing.
      ['QUERY', '/things', 'POST'],
      // The concrete path's methods, not those of /things/:thingId that also matches it.
      ['PUT', '/things/special', 'POST'],
    ] as const) {
      const res = await app.inject({ method, url, headers: { 'x-request-id': 'req-405' } });
      expect(res.statusCode, `${method} ${url}`).toBe(405);
      expect(res.headers.allow, `${method} ${url}`).toBe(allow);
      expect(res.json()).toEqual({
        error: { code: 'METHOD_NOT_ALLOWED', message: expect.stringContaining(allow) },
        requestId: 'req-405',
      });
    }
    const unknown = await app.inject({ method: 'PUT', url: '/things/t-1/parts' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.headers.allow).toBeUndefined();
  });

  it('answers /readyz 503 naming the dependency that is down', async () => {
    const app = await build({
      db: async () => undefined,
      kafka: async () => Promise.reject(new Error('down')),
    });
    const res = await app.inject({ method: 'GET', url: '/readyz' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({ status: 'not ready', checks: { db: 'up', kafka: 'down' } });
  });

  it('serves the OpenAPI document built from the route schemas, and Prometheus metrics', async () => {
    const app = await build();
    await app.inject({ method: 'POST', url: '/things', payload: { name: 'a' } });
    const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
    const metrics = await app.inject({ method: 'GET', url: '/metrics' });
    expect(
      doc.paths['/things'].post.requestBody.content['application/json'].schema.properties.name,
    ).toMatchObject({ type: 'string', maxLength: 20 });
    expect(doc.paths['/healthz']).toBeUndefined();
    expect(metrics.body).toMatch(
      /http_request_duration_seconds_count\{method="POST",route="\/things",status="201"\} 1/,
    );
  });

  it('when X-Request-Id or traceparent is unsafe or huge, then the request still succeeds with a fresh id', async () => {
    const app = await build();
    for (const headers of [
      { 'x-request-id': 'x'.repeat(120) },
      { 'x-request-id': 'a b' },
      { traceparent: `00-${'z'.repeat(32)}-${'0'.repeat(16)}-01` },
      { traceparent: 'x'.repeat(8_000) },
    ]) {
      const res = await app.inject({
        method: 'POST',
        url: '/things',
        headers,
        payload: { name: 'a' },
      });
      expect(res.statusCode).toBe(201);
      expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it('when a request logs its headers or a secret, then the credentials are redacted', async () => {
    const lines: string[] = [];
    const logger = pino(
      { level: 'info', redact: { paths: redactedPaths, censor: '[redacted]' } },
      { write: (line: string) => void lines.push(line) },
    );
    logger.info(
      { req: { headers: { authorization: 'Bearer abc.def', 'x-api-key': 'op-key-123456789' } } },
      'incoming',
    );
    logger.info(
      { endpoint: { secret: 'whsec_abc' }, config: { DATABASE_URL: 'mysql://u:pw@h/db' } },
      'x',
    );
    const text = lines.join('');
    for (const secret of ['abc.def', 'op-key-123456789', 'whsec_abc', 'pw@h']) {
      expect(text).not.toContain(secret);
    }
    expect(text).toContain('[redacted]');
  });
});
