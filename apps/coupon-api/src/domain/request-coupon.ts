import { randomUUID } from 'node:crypto';
import { topics } from '@commerce/events';
import { DomainError } from '@commerce/service';
import type { AdmissionQueue } from '../data-access/admission.ts';
import type { CouponsRepository } from '../data-access/coupons.repository.ts';
import type { RequestsRepository } from '../data-access/requests.repository.ts';
import type { ErrorCode } from './errors.ts';

export interface RequestCouponDeps {
  coupons: CouponsRepository;
  requests: RequestsRepository;
  admission: AdmissionQueue;
  /** Wakes the outbox relay so the request reaches Kafka right after its commit. */
  onCommitted: () => void;
  now?: () => Date;
}

export interface RequestCouponInput {
  userId: string;
  couponId: string;
  idempotencyKey?: string;
  correlationId: string;
  traceparent?: string;
}

export interface Accepted {
  requestId: string;
  sequence: number;
}

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

  const coupon = await deps.coupons.findCached(input.couponId);
  if (!coupon) return fail('COUPON_NOT_FOUND', `coupon ${input.couponId} does not exist`);
  const now = (deps.now ?? (() => new Date()))();
  if (now < coupon.validFrom)
    fail('COUPON_NOT_STARTED', `coupon ${coupon.id} opens at ${coupon.validFrom.toISOString()}`);
  if (now >= coupon.validUntil)
    fail('COUPON_EXPIRED', `coupon ${coupon.id} closed at ${coupon.validUntil.toISOString()}`);

  let admission = await deps.admission.admit(coupon.id, input.userId);
  if (admission.kind === 'unknown-state') {
    // First request for this coupon, or Redis lost its state: rebuild it from the database.
    await deps.admission.restore(coupon.id, await deps.coupons.admissionSnapshot(coupon));
    admission = await deps.admission.admit(coupon.id, input.userId);
  }
  if (admission.kind === 'duplicate') {
    return (
      (await findReplay(deps, input)) ??
      fail('ALREADY_REQUESTED', `user ${input.userId} already asked for ${coupon.id}`)
    );
  }
  if (admission.kind !== 'admitted') return fail('SOLD_OUT', `coupon ${coupon.id} is sold out`);

  const requestId = randomUUID();
  try {
    await deps.requests.createPending(
      {
        requestId,
        couponId: coupon.id,
        userId: input.userId,
        sequence: admission.sequence,
        ...idempotency(input),
      },
      {
        topic: topics.couponRequests.name,
        key: input.userId,
        type: 'CouponIssueRequested',
        correlationId: input.correlationId,
        ...(input.traceparent ? { traceparent: input.traceparent } : {}),
        payload: {
          eventId: randomUUID(),
          occurredAt: now.getTime(),
          requestId,
          userId: input.userId,
          couponId: coupon.id,
          sequence: admission.sequence,
        },
      },
    );
  } catch (err) {
    await deps.admission.release(coupon.id, input.userId);
    throw err;
  }
  deps.onCommitted();
  return { requestId, sequence: admission.sequence };
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

const idempotency = (input: RequestCouponInput) =>
  input.idempotencyKey ? { idempotencyKey: input.idempotencyKey } : {};
