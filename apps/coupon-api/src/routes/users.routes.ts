import type { ServerResponse } from 'node:http';
import type { HttpApp } from '@commerce/service';
import { z } from 'zod';
import type { RequestsRepository, RequestView } from '../data-access/requests.repository.ts';
import type { CouponResult, ResultHub } from '../data-access/result-hub.ts';
import { errorResponse, userIdParam } from './schemas.ts';

export interface UsersRoutesDeps {
  requests: RequestsRepository;
  hub: ResultHub;
  heartbeatMs: number;
}

export function toCouponResult(view: RequestView): CouponResult {
  return {
    requestId: view.requestId,
    couponId: view.couponId,
    userId: view.userId,
    sequence: view.sequence,
    status: view.userCouponId ? 'COMPLETED' : 'FAILED',
    reason: view.reason,
    userCouponId: view.userCouponId,
    completedAt: (view.completedAt ?? view.createdAt).toISOString(),
  };
}

const sseFrame = (result: CouponResult) =>
  `id: ${result.requestId}\nevent: coupon-result\ndata: ${JSON.stringify(result)}\n\n`;

export function usersRoutes(app: HttpApp, deps: UsersRoutesDeps) {
  const streams = new Set<ServerResponse>();
  // Open streams would keep the server from closing: end them when the app stops.
  app.addHook('preClose', async () => {
    for (const stream of streams) stream.end();
  });

  app.get(
    '/users/:userId/coupons',
    {
      schema: {
        summary: "The user's coupons",
        params: userIdParam,
        response: {
          200: z.array(
            z.object({
              id: z.string(),
              couponId: z.string(),
              requestId: z.string(),
              issuedAt: z.date(),
            }),
          ),
          400: errorResponse,
        },
      },
    },
    async (request) => deps.requests.userCoupons(request.params.userId),
  );

  app.get(
    '/users/:userId/coupon-events',
    {
      schema: {
        summary: 'Server-sent events: coupon-result for each decided request of the user',
        description:
          'Each event id is the request id. Reconnect with Last-Event-ID to receive the results decided after it.',
        params: userIdParam,
        headers: z.object({ 'last-event-id': z.uuid().optional() }),
        response: { 400: errorResponse },
      },
    },
    async (request, reply) => {
      const { userId } = request.params;
      const lastEventId = request.headers['last-event-id'];
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
      streams.add(stream);

      const sent = new Set<string>();
      const send = (result: CouponResult) => {
        if (sent.has(result.requestId)) return;
        sent.add(result.requestId);
        stream.write(sseFrame(result));
      };
      // Listen before reading what was missed, so nothing decided in between is lost.
      const missedWhileReplaying: CouponResult[] = [];
      let replaying = true;
      const stopListening = deps.hub.listen(userId, (result) =>
        replaying ? missedWhileReplaying.push(result) : send(result),
      );
      const heartbeat = setInterval(() => stream.write(': heartbeat\n\n'), deps.heartbeatMs);
      request.raw.on('close', () => {
        clearInterval(heartbeat);
        stopListening();
        streams.delete(stream);
      });

      try {
        if (lastEventId)
          for (const view of await deps.requests.resultsAfter(userId, lastEventId))
            send(toCouponResult(view));
      } catch (err) {
        request.log.error({ err }, 'replaying missed results failed');
        stream.end('event: error\ndata: {"code":"REPLAY_FAILED"}\n\n');
        return;
      }
      replaying = false;
      for (const result of missedWhileReplaying) send(result);
    },
  );
}
