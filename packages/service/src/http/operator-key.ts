import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, onRequestAsyncHookHandler } from 'fastify';
import { DomainError } from '../errors.ts';
import { operatorSecurity } from './schemas.ts';

/** The header operators send their key in. */
export const OPERATOR_KEY_HEADER = 'x-api-key';

/**
 * An `onRequest` hook for operator-only routes. It runs before validation, so an anonymous
 * caller learns nothing about the route's input; the comparison takes constant time.
 * Answers 401 OPERATOR_KEY_REQUIRED (mapped by the shell's error handler).
 */
export function requireOperatorKey(expectedKey: string): onRequestAsyncHookHandler {
  const expected = Buffer.from(expectedKey);
  return async (request) => {
    const given = request.headers[OPERATOR_KEY_HEADER];
    const actual = Buffer.from(typeof given === 'string' ? given : '');
    if (actual.length !== expected.length || !timingSafeEqual(actual, expected))
      throw new DomainError(
        'OPERATOR_KEY_REQUIRED',
        `send the operator key in ${OPERATOR_KEY_HEADER}`,
      );
  };
}

/**
 * Puts every route registered from now on under `prefix` behind the operator key (checked
 * first, before validation) and documents it in OpenAPI: for an API that is operators'
 * only, such as analytics reports.
 */
export function operatorOnlyUnder(app: FastifyInstance, prefix: string, expectedKey: string) {
  const guard = requireOperatorKey(expectedKey);
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith(prefix)) return;
    const hooks = route.onRequest ?? [];
    route.onRequest = [guard, ...(Array.isArray(hooks) ? hooks : [hooks])];
    const schema = (route.schema ?? {}) as { security?: unknown; response?: object };
    route.schema = {
      ...schema,
      security: operatorSecurity.security,
      response: { ...operatorSecurity.errors, ...schema.response },
    };
  });
}
