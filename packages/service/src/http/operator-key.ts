import { timingSafeEqual } from 'node:crypto';
import type { onRequestAsyncHookHandler } from 'fastify';
import { DomainError } from '../errors.ts';

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
