import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { Webhook } from 'standardwebhooks';

/** One POST as a receiver saw it. */
export interface Received {
  id: string;
  timestamp: string;
  signature: string;
  body: string;
  at: number;
}

/** What the receiver answers to its n-th POST (0-based), after `delayMs`; `hang` never answers. */
export type Behaviour = (
  n: number,
  received: Received,
) => { status: number; headers?: Record<string, string>; body?: string; delayMs?: number } | 'hang';

/**
 * A real HTTP receiver on 127.0.0.1 that records every POST; `verified(secret)` checks
 * each one's signature with the standardwebhooks library, as a partner would.
 */
export async function startReceiver(behaviour: Behaviour = () => ({ status: 204 })) {
  const received: Received[] = [];
  const hanging = new Set<ServerResponse>();
  const server = createServer(async (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const entry: Received = {
      id: String(request.headers['webhook-id']),
      timestamp: String(request.headers['webhook-timestamp']),
      signature: String(request.headers['webhook-signature']),
      body: Buffer.concat(chunks).toString('utf8'),
      at: Date.now(),
    };
    const answer = behaviour(received.length, entry);
    received.push(entry);
    if (answer === 'hang') {
      hanging.add(response);
      return;
    }
    if (answer.delayMs) await new Promise((resolve) => setTimeout(resolve, answer.delayMs));
    response.writeHead(answer.status, answer.headers ?? {});
    response.end(answer.body ?? '');
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    port,
    received,
    /** Would a partner holding `secret` accept this POST? */
    verifies(entry: Received, secret: string): boolean {
      try {
        new Webhook(secret).verify(entry.body, {
          'webhook-id': entry.id,
          'webhook-timestamp': entry.timestamp,
          'webhook-signature': entry.signature,
        });
        return true;
      } catch {
        return false;
      }
    },
    /** Distinct webhook-ids: what a receiver deduplicating by webhook-id processes. */
    uniqueIds: () => [...new Set(received.map((r) => r.id))],
    async close() {
      for (const response of hanging) response.destroy();
      server.closeAllConnections();
      server.close();
    },
  };
}

export type Receiver = Awaited<ReturnType<typeof startReceiver>>;
