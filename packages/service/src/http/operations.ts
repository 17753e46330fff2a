import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';

/** A dependency the service cannot work without; it throws (or times out) when unreachable. */
export type ReadinessCheck = () => Promise<unknown>;

const CHECK_TIMEOUT_MS = 2_000;

async function probe(check: ReadinessCheck): Promise<'up' | 'down'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timed out')), CHECK_TIMEOUT_MS);
  });
  try {
    await Promise.race([check(), timeout]);
    return 'up';
  } catch {
    return 'down';
  } finally {
    clearTimeout(timer);
  }
}

/**
 * /healthz: the process answers. /readyz: every dependency answers (503 naming the ones
 * that do not, so a gateway stops routing here). /metrics: Prometheus text format.
 */
export function installOperationsRoutes(
  app: FastifyInstance,
  checks: Record<string, ReadinessCheck>,
  metrics: Registry,
) {
  const hidden = { schema: { hide: true } };
  app.get('/healthz', hidden, async () => ({ status: 'ok' }));
  app.get('/readyz', hidden, async (_request, reply) => {
    const names = Object.keys(checks);
    const states = await Promise.all(names.map((name) => probe(checks[name] as ReadinessCheck)));
    const result = Object.fromEntries(names.map((name, i) => [name, states[i]]));
    const ready = states.every((state) => state === 'up');
    return reply
      .status(ready ? 200 : 503)
      .send({ status: ready ? 'ready' : 'not ready', checks: result });
  });
  app.get('/metrics', hidden, async (_request, reply) =>
    reply.header('content-type', metrics.contentType).send(await metrics.metrics()),
  );
}
