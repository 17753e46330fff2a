import { DomainError } from '@commerce/service';
import type { CouponRequest, UserCoupon } from './model.ts';
import type { RequestLog } from './request-log.ts';

/** Where a shopper's request stands (the polling alternative to the result stream). */
export async function getRequest(
  deps: { requests: Pick<RequestLog, 'find'> },
  requestId: string,
): Promise<CouponRequest> {
  const found = await deps.requests.find(requestId);
  if (!found) throw new DomainError('REQUEST_NOT_FOUND', `request ${requestId} does not exist`);
  return found;
}

/** The coupons a shopper holds, oldest first. */
export function listUserCoupons(
  deps: { requests: Pick<RequestLog, 'userCoupons'> },
  userId: string,
): Promise<UserCoupon[]> {
  return deps.requests.userCoupons(userId);
}
