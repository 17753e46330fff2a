import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  hasZodFastifySchemaValidationErrors,
  isResponseSerializationError,
} from 'fastify-type-provider-zod';
import { DomainError, type ErrorBody } from '../errors.ts';
import { isTransientFailure } from '../transient-failures.ts';
import { trackAllowedMethods } from './allowed-methods.ts';

/** HTTP status of each domain error code an API can answer with; unknown codes are 500s. */
export type StatusByCode = Readonly<Record<string, number>>;

const body = (requestId: string, code: string, message: string, details?: unknown): ErrorBody => ({
  error: { code, message, ...(details === undefined ? {} : { details }) },
  requestId,
});

/**
 * One error handler for every route: validation failures are 400 with the offending
 * fields, domain errors get their mapped status, Fastify's own client errors keep theirs,
 * a dependency away (a transient failure: database stopped, Kafka unreachable) is a 503 the
 * caller may retry, and anything else is a 500 whose details stay in the log, never in the
 * response. A path no route serves is 404; a path served with other methods only is 405 with
 * `Allow`. Install it before the routes: it learns their methods as they are added.
 */
export function installErrorHandling(app: FastifyInstance, statusByCode: StatusByCode) {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    if (hasZodFastifySchemaValidationErrors(err)) {
      const details = err.validation.map((v) => ({
        path: `${err.validationContext ?? 'body'}${v.instancePath.replaceAll('/', '.')}`,
        message: v.message ?? 'invalid',
      }));
      return reply
        .status(400)
        .send(body(request.id, 'VALIDATION_FAILED', 'the request is invalid', details));
    }
    if (err instanceof DomainError) {
      const status = statusByCode[err.code] ?? 500;
      if (statusByCode[err.code] === undefined) request.log.error({ err }, 'unmapped domain error');
      return reply.status(status).send(body(request.id, err.code, err.message, err.details));
    }
    const status = err.statusCode ?? 500;
    if (status < 500 && !isResponseSerializationError(err)) {
      return reply.status(status).send(body(request.id, err.code ?? 'BAD_REQUEST', err.message));
    }
    if (isTransientFailure(err)) {
      request.log.warn({ err }, 'a dependency is unavailable');
      return reply
        .status(503)
        .header('retry-after', '1')
        .send(
          body(
            request.id,
            'DEPENDENCY_UNAVAILABLE',
            'a service this API needs is unavailable; try again shortly',
          ),
        );
    }
    request.log.error({ err }, 'request failed');
    return reply
      .status(500)
      .send(body(request.id, 'INTERNAL', 'something went wrong; quote the request id'));
  });

  const allowedMethods = trackAllowedMethods(app);
  const unrouted = (request: FastifyRequest, reply: FastifyReply) => {
    const allowed = allowedMethods(request.url);
    if (allowed.length > 0) {
      const message = `${request.method} is not allowed here; use ${allowed.join(', ')}`;
      return reply
        .status(405)
        .header('allow', allowed.join(', '))
        .send(body(request.id, 'METHOD_NOT_ALLOWED', message));
    }
    return reply
      .status(404)
      .send(body(request.id, 'ROUTE_NOT_FOUND', `no route ${request.method} ${request.url}`));
  };
  app.setNotFoundHandler(unrouted);
  return {
    /**
     * Answers an unrouted request before its body is read (Fastify would refuse a QUERY
     * without Content-Type with 400 first). Add it after the hooks every answer needs.
     */
    answerUnroutedEarly: async (request: FastifyRequest, reply: FastifyReply) => {
      if (request.is404) return unrouted(request, reply);
    },
  };
}
