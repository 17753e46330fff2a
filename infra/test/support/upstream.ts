import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What an upstream saw of one request that came through the gateway. */
export interface SeenRequest {
  upstream: string;
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
}

/**
 * An HTTP server standing where a service listens, answering with what it received, so a
 * test sees exactly what the gateway sent on. A path ending in /coupon-events is a
 * server-sent event stream: one event at once, the next one only when the test says so.
 */
export async function startUpstream(name: string, port = 0) {
  const streams: ServerResponse[] = [];
  const server = createServer((request, response) => {
    const seen: SeenRequest = {
      upstream: name,
      method: request.method ?? '',
      url: request.url ?? '',
      headers: request.headers,
    };
    if (seen.url.endsWith('/coupon-events')) {
      response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      response.write(`event: seen\ndata: ${JSON.stringify(seen)}\n\n`);
      streams.push(response);
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify(seen));
  });
  server.listen(port, '127.0.0.1');
  await once(server, 'listening');
  return {
    address: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    /** Sends the last event on every open stream and ends them. */
    finishStreams() {
      for (const stream of streams.splice(0)) stream.end('event: last\ndata: done\n\n');
    },
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}
