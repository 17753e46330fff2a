import type { ServerResponse } from 'node:http';
import type { HttpApp } from '@commerce/service';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** One open Server-Sent Events response. */
export interface EventStream {
  send(event: string, id: string, data: unknown): void;
  /** Ends the stream with an `error` event carrying `code`. */
  fail(code: string): void;
  /** Runs `cleanup` when the client goes away or the stream ends. */
  onClose(cleanup: () => void): void;
}

/**
 * Opens SSE streams on `app`'s routes: the headers that keep proxies from buffering, a
 * comment line every `heartbeatMs` so idle streams are not cut, and every open stream ended
 * when the app closes (they would keep the server from closing).
 */
export function eventStreams(app: HttpApp, heartbeatMs: number) {
  const open = new Set<ServerResponse>();
  app.addHook('preClose', async () => {
    for (const stream of open) stream.end();
  });

  return (request: FastifyRequest, reply: FastifyReply): EventStream => {
    reply.hijack();
    const stream = reply.raw;
    stream.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no', // let proxies pass events through at once
      'x-request-id': request.id,
    });
    stream.write(': connected\n\n');
    open.add(stream);
    const heartbeat = setInterval(() => stream.write(': heartbeat\n\n'), heartbeatMs);
    const cleanups: (() => void)[] = [];
    request.raw.on('close', () => {
      clearInterval(heartbeat);
      open.delete(stream);
      for (const cleanup of cleanups) cleanup();
    });
    return {
      send(event, id, data) {
        stream.write(`id: ${id}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
      },
      fail(code) {
        stream.end(`event: error\ndata: ${JSON.stringify({ code })}\n\n`);
      },
      onClose(cleanup) {
        cleanups.push(cleanup);
      },
    };
  };
}
