import { checkedRange } from './range.ts';
import type { Granularity, ProductSalesRow, ReportReader, SalesRow } from './report-reader.ts';

export interface SalesQuery {
  from: string;
  to: string;
  granularity: Granularity;
  productId?: string | undefined;
}

export type SalesReport = {
  timeZone: string;
  granularity: Granularity;
  from: string;
  to: string;
} & ({ productId: null; buckets: SalesRow[] } | { productId: string; buckets: ProductSalesRow[] });

/** Sales per hour or local day between two instants: all products, or one product. */
export async function salesReport(
  deps: { reports: ReportReader; timeZone: string },
  query: SalesQuery,
): Promise<SalesReport> {
  const range = checkedRange(query.from, query.to);
  const head = {
    timeZone: deps.timeZone,
    granularity: query.granularity,
    from: range.from.toISOString(),
    to: range.to.toISOString(),
  };
  if (query.productId === undefined)
    return {
      ...head,
      productId: null,
      buckets: await deps.reports.sales(range, query.granularity),
    };
  return {
    ...head,
    productId: query.productId,
    buckets: await deps.reports.productSales(range, query.granularity, query.productId),
  };
}
