import type { Pool } from 'mariadb';
import type {
  CouponTotals,
  Granularity,
  ProductSalesRow,
  Range,
  ReportReader,
  SalesRow,
} from '../domain/report-reader.ts';

const bucketOf = (granularity: Granularity, row: { hour_start?: Date; day: string }) =>
  granularity === 'hour' ? (row.hour_start as Date).toISOString() : row.day;

interface CouponStatsRow {
  coupon_id: string;
  requested: number;
  issued: number;
  failed: number;
  first_result_at: Date;
  last_result_at: Date;
  sold_out_at: Date | null;
}

const toCouponTotals = (row: CouponStatsRow): Omit<CouponTotals, 'failedByReason'> => ({
  couponId: row.coupon_id,
  requested: row.requested,
  issued: row.issued,
  failed: row.failed,
  firstResultAt: row.first_result_at,
  lastResultAt: row.last_result_at,
  soldOutAt: row.sold_out_at,
});

/** The read side of the aggregates, straight SQL over the analytics database. */
export function createReportReader(pool: Pool): ReportReader {
  return {
    async sales(range, granularity) {
      const rows: {
        hour_start?: Date;
        day: string;
        orders: number;
        revenue: number;
        buyers: number;
      }[] =
        granularity === 'hour'
          ? await pool.query(
              'SELECT hour_start, day, orders, revenue, buyers FROM hourly_sales WHERE hour_start >= ? AND hour_start < ? ORDER BY hour_start',
              [range.from, range.to],
            )
          : // Distinct buyers of a day are counted over the day's hours, not summed.
            await pool.query(
              `SELECT s.day, SUM(s.orders) AS orders, SUM(s.revenue) AS revenue,
                 (SELECT COUNT(DISTINCT b.user_id) FROM hourly_buyers b
                   WHERE b.day = s.day AND b.hour_start >= ? AND b.hour_start < ?) AS buyers
               FROM hourly_sales s WHERE s.hour_start >= ? AND s.hour_start < ?
               GROUP BY s.day ORDER BY s.day`,
              [range.from, range.to, range.from, range.to],
            );
      return rows.map(
        (row): SalesRow => ({
          bucket: bucketOf(granularity, row),
          orders: Number(row.orders),
          revenue: Number(row.revenue),
          buyers: Number(row.buyers),
        }),
      );
    },

    async productSales(range, granularity, productId) {
      const rows: { hour_start?: Date; day: string; units: number; revenue: number }[] =
        await pool.query(
          granularity === 'hour'
            ? 'SELECT hour_start, day, units, revenue FROM hourly_product_sales WHERE product_id = ? AND hour_start >= ? AND hour_start < ? ORDER BY hour_start'
            : 'SELECT day, SUM(units) AS units, SUM(revenue) AS revenue FROM hourly_product_sales WHERE product_id = ? AND hour_start >= ? AND hour_start < ? GROUP BY day ORDER BY day',
          [productId, range.from, range.to],
        );
      return rows.map(
        (row): ProductSalesRow => ({
          bucket: bucketOf(granularity, row),
          units: Number(row.units),
          revenue: Number(row.revenue),
        }),
      );
    },

    async topProducts(range: Range, by, limit) {
      const order = by === 'units' ? 'units DESC, revenue DESC' : 'revenue DESC, units DESC';
      const rows: { product_id: string; units: number; revenue: number }[] = await pool.query(
        `SELECT product_id, SUM(units) AS units, SUM(revenue) AS revenue FROM hourly_product_sales
         WHERE hour_start >= ? AND hour_start < ? GROUP BY product_id ORDER BY ${order}, product_id LIMIT ?`,
        [range.from, range.to, limit],
      );
      return rows.map((r) => ({
        productId: r.product_id,
        units: Number(r.units),
        revenue: Number(r.revenue),
      }));
    },

    async coupon(couponId): Promise<CouponTotals | null> {
      const [stats]: CouponStatsRow[] = await pool.query(
        'SELECT * FROM coupon_stats WHERE coupon_id = ?',
        [couponId],
      );
      if (!stats) return null;
      const failures: { reason: string; count: number }[] = await pool.query(
        'SELECT reason, count FROM coupon_failures WHERE coupon_id = ? ORDER BY reason',
        [couponId],
      );
      return {
        ...toCouponTotals(stats),
        failedByReason: Object.fromEntries(failures.map((f) => [f.reason, f.count])),
      };
    },
    async recentCoupons(limit) {
      const rows: CouponStatsRow[] = await pool.query(
        'SELECT * FROM coupon_stats ORDER BY last_result_at DESC LIMIT ?',
        [limit],
      );
      return rows.map(toCouponTotals);
    },
  };
}
