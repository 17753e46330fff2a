import { dayOf, daysEndingWith } from '@commerce/events';

export interface RankingReader {
  /** The `limit` products with the most units over `days` (daily keys summed), best first. */
  top(days: readonly string[], limit: number): Promise<{ productId: string; quantity: number }[]>;
}

export interface ProductNames {
  names(productIds: readonly string[]): Promise<Map<string, string>>;
}

export interface TopProductsDeps {
  rankings: RankingReader;
  products: ProductNames;
  timeZone: string;
  now: () => Date;
}

export interface TopProducts {
  days: number;
  timeZone: string;
  /** First and last calendar day of the window (the last is today). */
  from: string;
  to: string;
  items: { rank: number; productId: string; name: string | null; quantity: number }[];
}

/**
 * The best-selling products by units over the last `days` days, today included, where a
 * day starts at midnight in the ranking's time zone. Counts come from ranking-worker's
 * daily keys; names from the catalogue.
 */
export async function topProducts(
  deps: TopProductsDeps,
  query: { days: number; limit: number },
): Promise<TopProducts> {
  const days = daysEndingWith(dayOf(deps.now(), deps.timeZone), query.days);
  const top = await deps.rankings.top(days, query.limit);
  const names = await deps.products.names(top.map((entry) => entry.productId));
  return {
    days: query.days,
    timeZone: deps.timeZone,
    from: days.at(-1) as string,
    to: days[0] as string,
    items: top.map((entry, i) => ({
      rank: i + 1,
      productId: entry.productId,
      name: names.get(entry.productId) ?? null,
      quantity: entry.quantity,
    })),
  };
}
