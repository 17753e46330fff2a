import type { FastifyError, FastifyInstance } from 'fastify';
import {
  hasZodFastifySchemaValidationErrors,
  isResponseSerializationError,
} from 'fastify-type-provider-zod';
import { DomainError, type ErrorBody } from '../errors.ts';
import { isTransientFailure } from '../transient-failures.ts';

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
 * caller may retry, and anything else is a 500 whose details stay in the log, never in the response.
 */
export function installErrorHandling(app: FastifyInstance, statusByCode: StatusByCode): void {
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

  app.setNotFoundHandler((request, reply) =>
    reply
      .status(404)
      .send(body(request.id, 'ROUTE_NOT_FOUND', `no route ${request.method} ${request.url}`)),
  );
}
