import type { PrismaClient } from '@commerce/coupon-db';
import type { CouponIssueRequested } from '@commerce/events';
import { type HandlerContext, TransientError } from '@commerce/kafka';
import type Redlock from 'redlock';
import { issueOnce } from '../data-access/issuance.repository.ts';

export interface IssueHandlerDeps {
  prisma: PrismaClient;
  redlock: Redlock;
  lockTtlMs: number;
  /** Wakes the outbox relay so the result leaves right after the commit. */
  onCommitted: () => void;
  now?: () => Date;
}

/**
 * Handles one CouponIssueRequested. The per-user lock (as the seed does) keeps two
 * deliveries of one user's request from working at once; the database stays the fence.
 */
export function couponIssueRequestedHandler(deps: IssueHandlerDeps) {
  return async (event: CouponIssueRequested, context: HandlerContext): Promise<void> => {
    const lockKey = `coupon:{${event.couponId}}:user:${event.userId}`;
    let lock: Awaited<ReturnType<Redlock['acquire']>>;
    try {
      lock = await deps.redlock.acquire([lockKey], deps.lockTtlMs);
    } catch (err) {
      throw new TransientError(`lock ${lockKey} is held elsewhere`, { cause: err });
    }
    try {
      const outcome = await issueOnce(
        deps.prisma,
        {
          eventId: event.eventId,
          requestId: event.requestId,
          userId: event.userId,
          couponId: event.couponId,
          sequence: event.sequence,
          correlationId: context.headers.correlationId ?? event.requestId,
          ...(context.headers.traceparent ? { traceparent: context.headers.traceparent } : {}),
        },
        (deps.now ?? (() => new Date()))(),
      );
      if (outcome === null) context.log.info('redelivered request: decided already, nothing to do');
      else context.log.debug({ outcome }, 'coupon request decided');
      deps.onCommitted();
    } finally {
      await lock
        .release()
        .catch((err: unknown) =>
          context.log.warn({ err }, 'lock release failed; it expires by itself'),
        );
    }
  };
}
