// The operators' analytics report, once analytics-worker has counted what the demo did.
import type { CheckFn } from './checks.ts';
import { get, operator, waitFor } from './http.ts';
import type { Sales } from './orders.ts';
import { step } from './progress.ts';

export async function analyticsReport(
  rush: { couponId: string; accepted: number; total: number },
  sales: Sales,
  check: CheckFn,
) {
  const from = encodeURIComponent(new Date(Date.now() - 86_400_000).toISOString());
  const to = encodeURIComponent(new Date(Date.now() + 3_600_000).toISOString());
  const read = (path: string) => get(path, operator);
  const coupon = await waitFor('the rush in the analytics', async () => {
    const { status, body } = await read(`/analytics/coupons/${rush.couponId}`);
    return status === 200 && body.requested === rush.accepted ? body : undefined;
  }).catch(async () => (await read(`/analytics/coupons/${rush.couponId}`)).body);
  type Counted = { rank: number; productId: string; units: number; revenue: number };
  const differs = (i: Counted) => {
    const paid = sales.paid.get(i.productId);
    return paid?.units !== i.units || paid?.revenue !== i.revenue;
  };
  // The worker counts in batches: wait until the figures match (or time runs out), not only
  // until every product appears, so a batch still being flushed is not reported as a loss.
  let latest: Counted[] = [];
  const counted = await waitFor('the sales in the analytics', async () => {
    const { body } = await read(
      `/analytics/products/top?from=${from}&to=${to}&by=revenue&limit=100`,
    );
    latest = (body.items ?? []).filter((i: Counted) => sales.paid.has(i.productId));
    return latest.length === sales.paid.size && !latest.some(differs) ? latest : undefined;
  }).catch(() => latest);
  const hours = (await read(`/analytics/sales?from=${from}&to=${to}&granularity=hour`)).body;

  step('3. Analytics (operator read API)');
  console.log(
    `   coupon ${rush.couponId}: requested ${coupon.requested}, issued ${coupon.issued}, failed ${coupon.failed}`,
  );
  for (const i of counted)
    console.log(`   top #${i.rank} by revenue: ${i.productId}, ${i.units} units, ${i.revenue}`);
  for (const b of hours.buckets.slice(-3))
    console.log(
      `   hour ${b.bucket}: ${b.orders} orders, revenue ${b.revenue}, ${b.buyers} buyers`,
    );

  check(
    'analytics count the rush once',
    coupon.issued === rush.total && coupon.requested === rush.accepted,
    `${coupon.issued} issued of ${rush.total}, ${coupon.requested} results of ${rush.accepted} accepted`,
  );
  const mismatched = counted.filter(differs);
  check(
    'analytics count every sale once',
    counted.length === sales.paid.size && mismatched.length === 0,
    `${counted.length} of ${sales.paid.size} products, ${mismatched.length} differ from the orders`,
  );
}
