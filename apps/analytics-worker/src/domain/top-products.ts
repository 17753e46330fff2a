import { checkedRange } from './range.ts';
import type { ProductTotals, ReportReader } from './report-reader.ts';

export interface TopProductsQuery {
  from: string;
  to: string;
  by: 'units' | 'revenue';
  limit: number;
}

/** The best-selling products between two instants, by units or by revenue. */
export async function topProducts(
  deps: { reports: ReportReader },
  query: TopProductsQuery,
): Promise<{
  from: string;
  to: string;
  by: 'units' | 'revenue';
  items: (ProductTotals & { rank: number })[];
}> {
  const range = checkedRange(query.from, query.to);
  const rows = await deps.reports.topProducts(range, query.by, query.limit);
  return {
    from: range.from.toISOString(),
    to: range.to.toISOString(),
    by: query.by,
    items: rows.map((row, i) => ({ rank: i + 1, ...row })),
  };
}
