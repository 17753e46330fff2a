import type { Pool } from 'mariadb';
import type { Aggregates } from './expected.ts';

/** Every aggregate row and the fact counts, in the shape of expectedAggregates(). */
export async function readAggregates(pool: Pool): Promise<Aggregates> {
  const result: Aggregates = {
    hours: {},
    products: {},
    coupons: {},
    facts: { orderLines: 0, stockChanges: 0, couponResults: 0 },
  };
  for (const row of await pool.query('SELECT * FROM hourly_sales'))
    result.hours[row.hour_start.toISOString()] = {
      day: row.day,
      orders: row.orders,
      revenue: row.revenue,
      buyers: row.buyers,
    };
  for (const row of await pool.query('SELECT * FROM hourly_product_sales'))
    result.products[`${row.hour_start.toISOString()}|${row.product_id}`] = {
      units: row.units,
      revenue: row.revenue,
    };
  for (const row of await pool.query('SELECT * FROM coupon_stats'))
    result.coupons[row.coupon_id] = {
      requested: row.requested,
      issued: row.issued,
      failed: row.failed,
      first: row.first_result_at.getTime(),
      last: row.last_result_at.getTime(),
      soldOut: row.sold_out_at?.getTime() ?? null,
      failures: {},
    };
  for (const row of await pool.query('SELECT * FROM coupon_failures')) {
    const coupon = result.coupons[row.coupon_id];
    if (coupon) coupon.failures[row.reason] = row.count;
  }
  const [counts] = await pool.query(
    `SELECT (SELECT COUNT(*) FROM order_line_facts) AS orderLines,
       (SELECT COUNT(*) FROM stock_change_facts) AS stockChanges,
       (SELECT COUNT(*) FROM coupon_result_facts) AS couponResults`,
  );
  result.facts = {
    orderLines: Number(counts.orderLines),
    stockChanges: Number(counts.stockChanges),
    couponResults: Number(counts.couponResults),
  };
  return result;
}
