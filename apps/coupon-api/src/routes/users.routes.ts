import { errorResponses, type HttpApp } from '@commerce/service';
import { z } from 'zod';
import type { Deps } from '../deps.ts';
import { listUserCoupons } from '../domain/requests.ts';
import { streamResults } from '../domain/results-stream.ts';
import { eventStreams } from './event-stream.ts';
import { userCouponView, userIdParam } from './schemas.ts';

export function registerUserRoutes(app: HttpApp, deps: Deps): void {
  const openStream = eventStreams(app, deps.config.SSE_HEARTBEAT_MS);

  app.get(
    '/users/:userId/coupons',
    {
      schema: {
        summary: "The user's coupons",
        params: userIdParam,
        response: { 200: z.array(userCouponView), ...errorResponses(400) },
      },
    },
    async (request) => listUserCoupons({ requests: deps.requests }, request.params.userId),
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
        response: errorResponses(400),
      },
    },
    async (request, reply) => {
      const stream = openStream(request, reply);
      const results = streamResults(
        { feed: deps.hub, requests: deps.requests },
        { userId: request.params.userId, lastRequestId: request.headers['last-event-id'] },
        (result) => stream.send('coupon-result', result.requestId, result),
      );
      stream.onClose(results.stop);
      await results.replayed.catch((err: unknown) => {
        request.log.error({ err }, 'replaying missed results failed');
        stream.fail('REPLAY_FAILED');
      });
    },
  );
}
