import { join } from 'node:path';
import { freePort, startServiceProcess } from '@commerce/testing';
import { OPERATOR_KEY } from './harness.ts';

const entry = join(import.meta.dirname, '..', '..', 'src', 'main.ts');

/** webhook-relay as its own Node process (as in production), on a free port, logging at `level`. */
export async function startRelayProcess(env: Record<string, string>, level = 'info') {
  const port = await freePort();
  const relay = await startServiceProcess({
    name: 'webhook-relay',
    entry,
    env: { ...env, PORT: String(port), LOG_LEVEL: level },
    readyMessage: 'webhook-relay started',
  });
  const base = `http://127.0.0.1:${port}`;
  return {
    ...relay,
    base,
    /** An operator API call; `timeoutMs` past the pool's 10 s acquire timeout when the database is away. */
    async api(method: string, path: string, body?: object, timeoutMs = 10_000) {
      const response = await fetch(base + path, {
        method,
        headers: {
          'x-api-key': OPERATOR_KEY,
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        ...(body ? { body: JSON.stringify(body) } : {}),
        signal: AbortSignal.timeout(timeoutMs),
      });
      const text = await response.text();
      return { status: response.status, body: text ? JSON.parse(text) : undefined, text };
    },
  };
}
