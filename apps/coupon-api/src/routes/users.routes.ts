import {
  errorResponses,
  type HttpApp,
  type PublicAccess,
  SELF,
  shopperOf,
  shopperSecurity,
} from '@commerce/service';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Deps } from '../deps.ts';
import { listUserCoupons } from '../domain/requests.ts';
import { streamResults } from '../domain/results-stream.ts';
import { eventStreams } from './event-stream.ts';
import { userCouponView, userIdParam } from './schemas.ts';

const lastEventId = z.looseObject({ 'last-event-id': z.uuid().optional() });
const byIdNote = `Same as the /users/${SELF}/ route for the token's own id; another user's id is 403 FORBIDDEN_USER.`;

/**
 * A shopper's own coupons and result stream, at /users/me/... and (for clients that name
 * themselves) /users/{userId}/... where userId must be the token's user.
 */
export function registerUserRoutes(app: HttpApp, deps: Deps, access: PublicAccess): void {
  const openStream = eventStreams(app, deps.config.SSE_HEARTBEAT_MS);

  const coupons = async (request: FastifyRequest) =>
    listUserCoupons({ requests: deps.requests }, shopperOf(request).userId);
  const couponsSchema = {
    security: shopperSecurity.security,
    response: { 200: z.array(userCouponView), ...shopperSecurity.errors, ...errorResponses(400) },
  };
  app.get(
    `/users/${SELF}/coupons`,
    {
      onRequest: access.shopper,
      schema: { summary: "The token's user's coupons", ...couponsSchema },
    },
    coupons,
  );
  app.get(
    '/users/:userId/coupons',
    {
      onRequest: access.shopperSelf,
      schema: {
        summary: "The user's coupons",
        description: byIdNote,
        params: userIdParam,
        ...couponsSchema,
      },
    },
    coupons,
  );

  const events = async (request: FastifyRequest, reply: FastifyReply) => {
    const stream = openStream(request, reply);
    const lastRequestId = (request.headers as z.output<typeof lastEventId>)['last-event-id'];
    const results = streamResults(
      { feed: deps.hub, requests: deps.requests },
      { userId: shopperOf(request).userId, lastRequestId },
      (result) => stream.send('coupon-result', result.requestId, result),
    );
    stream.onClose(results.stop);
    await results.replayed.catch((err: unknown) => {
      request.log.error({ err }, 'replaying missed results failed');
      stream.fail('REPLAY_FAILED');
    });
  };
  const eventsSchema = {
    description:
      'Server-sent events: coupon-result for each decided request of the token’s user. Each event id is the request id; reconnect with Last-Event-ID to receive the results decided after it.',
    security: shopperSecurity.security,
    headers: lastEventId,
    response: {
      200: {
        description:
          'An open stream: `: connected` at once, a `: heartbeat` comment line while idle, then `id: <requestId>`, `event: coupon-result`, `data: <JSON result>` per decided request; an `error` event ends it if replaying fails.',
        content: { 'text/event-stream': { schema: z.string() } },
      },
      ...shopperSecurity.errors,
      ...errorResponses(400),
    },
  };
  app.get(
    `/users/${SELF}/coupon-events`,
    {
      onRequest: access.shopper,
      schema: { summary: 'Your coupon results, as they are decided', ...eventsSchema },
    },
    events,
  );
  app.get(
    '/users/:userId/coupon-events',
    {
      onRequest: access.shopperSelf,
      schema: {
        summary: "The user's coupon results, as they are decided",
        ...eventsSchema,
        description: `${eventsSchema.description} ${byIdNote}`,
        params: userIdParam,
      },
    },
    events,
  );
}
