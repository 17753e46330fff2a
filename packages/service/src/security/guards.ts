import type {
  FastifyReply,
  FastifyRequest,
  onRequestAsyncHookHandler,
  preValidationAsyncHookHandler,
} from 'fastify';
import { DomainError } from '../errors.ts';
import type { Shopper, ShopperTokenVerifier } from './shopper-tokens.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The verified token's shopper on routes guarded by `requireShopper`. */
    shopper: Shopper | undefined;
  }
}

/** `Authorization: Bearer <token>`; the token is base64url parts separated by dots. */
const BEARER = /^Bearer +([A-Za-z0-9_.~+/-]+=*)$/i;

/** The path segment a shopper uses for themselves: /users/me/... */
export const SELF = 'me';

function challenge(reply: FastifyReply, error?: string) {
  // RFC 6750: a 401 names the scheme, and why the token was refused.
  reply.header('www-authenticate', `Bearer realm="commerce"${error ? `, error="${error}"` : ''}`);
}

/**
 * An `onRequest` hook for shopper routes: the bearer token must verify, and its subject
 * becomes `request.shopper`. It runs before validation (like requireOperatorKey), so an
 * anonymous caller learns nothing about the route's input. 401 TOKEN_REQUIRED or
 * TOKEN_INVALID.
 */
export function requireShopper(tokens: ShopperTokenVerifier): onRequestAsyncHookHandler {
  return async (request, reply) => {
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? BEARER.exec(header) : null;
    if (!match) {
      challenge(reply);
      throw new DomainError('TOKEN_REQUIRED', 'send a shopper token: Authorization: Bearer <jwt>');
    }
    try {
      request.shopper = await tokens.verify(match[1] as string);
    } catch (err) {
      // Only a refused token is challenged: keys that could not be fetched are a 503.
      if (err instanceof DomainError) challenge(reply, 'invalid_token');
      throw err;
    }
  };
}

/** The shopper of a guarded route (a route without `requireShopper` is a programming error). */
export function shopperOf(request: FastifyRequest): Shopper {
  if (!request.shopper) throw new Error(`route ${request.routeOptions.url} is not shopper-guarded`);
  return request.shopper;
}

const forbidden = (named: string) =>
  new DomainError('FORBIDDEN_USER', `the token does not speak for user ${named}`);

/**
 * After `requireShopper`: the path's `:userId` must be the token's user (or `me`), else
 * 403 FORBIDDEN_USER, before the params are validated.
 */
export const forbidOtherUserInPath: onRequestAsyncHookHandler = async (request) => {
  const named = (request.params as Record<string, unknown>).userId;
  if (typeof named === 'string' && named !== SELF && named !== shopperOf(request).userId)
    throw forbidden(named.slice(0, 64));
};

/**
 * A `preValidation` hook: a body that names a `userId` must name the token's user, else
 * 403 FORBIDDEN_USER (a client may still send its own id; the token decides).
 */
export const forbidOtherUserInBody: preValidationAsyncHookHandler = async (request) => {
  const body = request.body;
  if (typeof body !== 'object' || body === null || !('userId' in body)) return;
  const named = (body as { userId: unknown }).userId;
  if (named !== shopperOf(request).userId) throw forbidden(String(named).slice(0, 64));
};
