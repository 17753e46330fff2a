import { randomUUID } from 'node:crypto';
import { topics } from '@commerce/events';
import { DomainError } from '@commerce/service';
import type { Admission } from './admission.ts';
import type { CouponReader } from './coupons.ts';
import type { ErrorCode } from './errors.ts';
import type { Trace } from './model.ts';
import {
  type PendingRequest,
  type RequestedEvent,
  type RequestLog,
  SupersededAdmission,
} from './request-log.ts';

export interface RequestCouponDeps {
  /** May answer from a short cache: the worker re-checks the coupon in the database. */
  coupons: CouponReader;
  requests: Pick<RequestLog, 'createPending' | 'findByIdempotencyKey'>;
  admission: Admission;
  now: () => Date;
  /** Runs after a request is logged (wakes the outbox relay so it reaches Kafka now). */
  afterCommit: () => void;
}

export interface RequestCouponInput {
  userId: string;
  couponId: string;
  idempotencyKey?: string;
  trace: Trace;
}

export interface Accepted {
  requestId: string;
  sequence: number;
}

/**
 * Places asked for per request while queues are being rebuilt (each rebuild supersedes one).
 * One loss of Redis can start a rebuild in every coupon-api instance, one epoch each: with
 * two instances, three losses in a row superseded a request four times on a loaded CI
 * machine (503 QUEUE_REBUILDING while places remained), so there is room for more.
 */
const MAX_ADMISSION_ATTEMPTS = 8;

const fail = (code: ErrorCode, message: string): never => {
  throw new DomainError(code, message);
};

/**
 * A shopper asks for a coupon: check the coupon, take a place in its queue, log the
 * request as PENDING and hand it to coupon-worker through the outbox. The answer comes
 * later (SSE or polling); what is refused here leaves no row behind.
 */
export async function requestCoupon(
  deps: RequestCouponDeps,
  input: RequestCouponInput,
): Promise<Accepted> {
  const replay = await findReplay(deps, input);
  if (replay) return replay;

  const coupon = await deps.coupons.find(input.couponId);
  if (!coupon) return fail('COUPON_NOT_FOUND', `coupon ${input.couponId} does not exist`);
  const now = deps.now();
  if (now < coupon.validFrom)
    fail('COUPON_NOT_STARTED', `coupon ${coupon.id} opens at ${coupon.validFrom.toISOString()}`);
  if (now >= coupon.validUntil)
    fail('COUPON_EXPIRED', `coupon ${coupon.id} closed at ${coupon.validUntil.toISOString()}`);

  for (let attempt = 1, minEpoch = 0; ; attempt++) {
    const admission = await deps.admission.admit(coupon, input.userId, minEpoch);
    if (admission.kind === 'duplicate') {
      return (
        (await findReplay(deps, input)) ??
        fail('ALREADY_REQUESTED', `user ${input.userId} already asked for ${coupon.id}`)
      );
    }
    if (admission.kind === 'sold-out') return fail('SOLD_OUT', `coupon ${coupon.id} is sold out`);

    const request: PendingRequest = {
      requestId: randomUUID(),
      couponId: coupon.id,
      userId: input.userId,
      sequence: admission.sequence,
      admissionEpoch: admission.epoch,
      ...(input.idempotencyKey ? { idempotencyKey: input.idempotencyKey } : {}),
    };
    try {
      await deps.requests.createPending(request, requestedEvent(request, input.trace, now));
      deps.afterCommit();
      return { requestId: request.requestId, sequence: request.sequence };
    } catch (err) {
      if (!(err instanceof SupersededAdmission)) {
        await deps.admission.release(coupon.id, input.userId);
        throw err;
      }
      // The queue was rebuilt while this place waited to be logged: the rebuilt queue does
      // not hold it (so nothing to release), and the user asks that one for a place.
      if (attempt >= MAX_ADMISSION_ATTEMPTS)
        fail('QUEUE_REBUILDING', `the queue of ${coupon.id} is being rebuilt; try again`);
      minEpoch = err.currentEpoch;
    }
  }
}

/** The request an Idempotency-Key already produced: same key, same answer. */
async function findReplay(
  deps: RequestCouponDeps,
  input: RequestCouponInput,
): Promise<Accepted | null> {
  if (!input.idempotencyKey) return null;
  const previous = await deps.requests.findByIdempotencyKey(input.userId, input.idempotencyKey);
  if (!previous) return null;
  if (previous.couponId !== input.couponId) {
    fail('IDEMPOTENCY_KEY_REUSED', 'this Idempotency-Key was used for another coupon');
  }
  return { requestId: previous.requestId, sequence: previous.sequence };
}

/** What coupon-worker receives: keyed by user, so one user's requests stay in order. */
function requestedEvent(request: PendingRequest, trace: Trace, now: Date): RequestedEvent {
  return {
    topic: topics.couponRequests.name,
    key: request.userId,
    type: 'CouponIssueRequested',
    ...trace,
    payload: {
      eventId: randomUUID(),
      occurredAt: now.getTime(),
      requestId: request.requestId,
      userId: request.userId,
      couponId: request.couponId,
      sequence: request.sequence,
    },
  };
}
