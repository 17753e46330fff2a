import type { PoolConnection } from 'mariadb';
import type { AggregateDeltas } from '../domain/aggregates.ts';
import type { Facts } from '../domain/model.ts';
import { insertRows } from './analytics-db.ts';

/** Inserts the facts (plain INSERTs: a fact written twice is a bug, not a duplicate). */
export async function writeFacts(conn: PoolConnection, facts: Facts): Promise<void> {
  await insertRows(
    conn,
    'INSERT INTO order_line_facts (event_id, line_no, order_id, user_id, product_id, quantity, unit_price, revenue, currency, occurred_at, hour_start)',
    facts.orders.flatMap((o) =>
      o.lines.map((l) => [
        o.eventId,
        l.lineNo,
        o.orderId,
        o.userId,
        l.productId,
        l.quantity,
        l.unitPrice,
        l.revenue,
        o.currency,
        o.occurredAt,
        o.hour.start,
      ]),
    ),
  );
  await insertRows(
    conn,
    'INSERT INTO stock_change_facts (event_id, product_id, previous_stock, current_stock, reason, order_id, occurred_at, hour_start)',
    facts.stockChanges.map((s) => [
      s.eventId,
      s.productId,
      s.previousStock,
      s.currentStock,
      s.reason,
      s.orderId,
      s.occurredAt,
      s.hour.start,
    ]),
  );
  await insertRows(
    conn,
    'INSERT INTO coupon_result_facts (event_id, request_id, coupon_id, user_id, outcome, reason, occurred_at, hour_start)',
    facts.couponResults.map((c) => [
      c.eventId,
      c.requestId,
      c.couponId,
      c.userId,
      c.outcome,
      c.reason,
      c.occurredAt,
      c.hour.start,
    ]),
  );
}

const byTime = (a: { hourStart: Date }, b: { hourStart: Date }) =>
  a.hourStart.getTime() - b.hourStart.getTime();

/**
 * Adds the deltas to the aggregates. Rows are upserted in key order, so concurrent flushes
 * of different partitions lock shared rows in the same order (no deadlock between them).
 * Distinct buyers: a buyer counts in an hour when their (hour, user) row is new.
 */
export async function writeAggregates(conn: PoolConnection, deltas: AggregateDeltas) {
  const hours = [...deltas.hours].sort(byTime);
  const hourRows: unknown[][] = [];
  for (const hour of hours) {
    const newBuyers = await insertRows(
      conn,
      'INSERT IGNORE INTO hourly_buyers (hour_start, user_id, day)',
      [...hour.buyers].sort().map((user) => [hour.hourStart, user, hour.day]),
    );
    hourRows.push([hour.hourStart, hour.day, hour.orders, hour.revenue, newBuyers]);
  }
  await insertRows(
    conn,
    'INSERT INTO hourly_sales (hour_start, day, orders, revenue, buyers)',
    hourRows,
    'ON DUPLICATE KEY UPDATE orders = orders + VALUES(orders), revenue = revenue + VALUES(revenue), buyers = buyers + VALUES(buyers)',
  );
  await insertRows(
    conn,
    'INSERT INTO hourly_product_sales (hour_start, product_id, day, units, revenue)',
    [...deltas.productHours]
      .sort((a, b) => byTime(a, b) || a.productId.localeCompare(b.productId))
      .map((p) => [p.hourStart, p.productId, p.day, p.units, p.revenue]),
    'ON DUPLICATE KEY UPDATE units = units + VALUES(units), revenue = revenue + VALUES(revenue)',
  );
  const coupons = [...deltas.coupons].sort((a, b) => a.couponId.localeCompare(b.couponId));
  await insertRows(
    conn,
    'INSERT INTO coupon_stats (coupon_id, requested, issued, failed, first_result_at, last_result_at, sold_out_at)',
    coupons.map((c) => [
      c.couponId,
      c.requested,
      c.issued,
      c.failed,
      c.firstResultAt,
      c.lastResultAt,
      c.soldOutAt,
    ]),
    `ON DUPLICATE KEY UPDATE requested = requested + VALUES(requested), issued = issued + VALUES(issued),
      failed = failed + VALUES(failed),
      first_result_at = LEAST(first_result_at, VALUES(first_result_at)),
      last_result_at = GREATEST(last_result_at, VALUES(last_result_at)),
      sold_out_at = COALESCE(LEAST(sold_out_at, VALUES(sold_out_at)), sold_out_at, VALUES(sold_out_at))`,
  );
  await insertRows(
    conn,
    'INSERT INTO coupon_failures (coupon_id, reason, count)',
    coupons.flatMap((c) =>
      [...c.failuresByReason].sort().map(([reason, count]) => [c.couponId, reason, count]),
    ),
    'ON DUPLICATE KEY UPDATE count = count + VALUES(count)',
  );
}
