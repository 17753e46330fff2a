import type { FastifyInstance } from 'fastify';

/** Headers a client or a broken proxy may send: huge, malformed, or of the wrong kind. */
export function hostileHeaders(): Record<string, string>[] {
  const huge = (c: string) => c.repeat(12_000);
  return [
    { 'x-request-id': huge('r') },
    { 'x-request-id': '<script>alert(1)</script>' },
    { traceparent: huge('t') },
    { traceparent: '00-zzzz-zz-01' },
    { traceparent: 'ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' },
    { authorization: `Bearer ${huge('a')}` },
    { authorization: 'Bearer a.b.c' },
    { authorization: 'Bearer' },
    { authorization: 'Basic Zm9vOmJhcg==' },
    { 'x-api-key': huge('k') },
    { 'idempotency-key': huge('i') },
    { 'idempotency-key': 'has spaces' },
    { 'last-event-id': 'not-a-uuid' },
    { 'content-type': 'application/json; charset=bogus' },
    { 'content-type': 'text/plain' },
    { 'content-type': huge('c') },
    { 'x-forwarded-for': 'not-an-ip, 999.1.1.1' },
    { accept: huge('x') },
    { cookie: `a=${huge('b')}` },
  ];
}

export interface RouteProbe {
  method: string;
  url: string;
  header: string;
  status: number;
}

/**
 * Sends every hostile header set, on top of `base` headers (a valid token or key, so the
 * guarded routes get past their guards), to every route of the app's OpenAPI document;
 * returns the answers that were 5xx (none is the promise). Path parameters take the
 * `params` sample values; `skip` leaves out routes that stream (they never end).
 */
export async function probeEveryRoute(
  app: FastifyInstance,
  options: {
    base?: Record<string, string>;
    params?: Record<string, string>;
    skip?: (method: string, path: string) => boolean;
  } = {},
): Promise<RouteProbe[]> {
  const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json() as {
    paths: Record<string, Record<string, unknown>>;
  };
  const failures: RouteProbe[] = [];
  for (const [path, operations] of Object.entries(doc.paths)) {
    for (const method of Object.keys(operations).map((m) => m.toUpperCase())) {
      if (options.skip?.(method, path)) continue;
      const url = path.replace(/\{(\w+)\}/g, (_, name: string) => options.params?.[name] ?? 'x');
      for (const hostile of hostileHeaders()) {
        const res = await app.inject({
          method: method as 'GET',
          url,
          headers: {
            ...(method === 'GET' ? {} : { 'content-type': 'application/json' }),
            ...options.base,
            ...hostile,
          },
          ...(method === 'GET' ? {} : { payload: '{}' }),
        });
        if (res.statusCode >= 500)
          failures.push({
            method,
            url,
            header: Object.keys(hostile)[0] ?? '',
            status: res.statusCode,
          });
      }
    }
  }
  return failures;
}
