/**
 * Ranking days: a calendar day (YYYY-MM-DD) in the ranking's time zone. Part of the
 * contract of OrderCompleted: ranking-worker counts an order under the day of its
 * completedAt, and order-api reads windows of those days, so both use this one rule.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The calendar day of an instant in `timeZone`, as YYYY-MM-DD. */
export function dayOf(instant: Date | number, timeZone: string): string {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    formatters.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(instant).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}`;
}

/** `count` days ending with `today`, newest first: plain calendar arithmetic, no time zone. */
export function daysEndingWith(today: string, count: number): string[] {
  const [year, month, day] = today.split('-').map(Number) as [number, number, number];
  return Array.from({ length: count }, (_, back) =>
    new Date(Date.UTC(year, month - 1, day - back)).toISOString().slice(0, 10),
  );
}

/** Each calendar day from `from` to `to`, both included, oldest first. */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  for (let day = from; day <= to; day = addDays(day, 1)) days.push(day);
  return days;
}

/** The calendar day `days` after `day` (before, when negative). */
export function addDays(day: string, days: number): string {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, date + days)).toISOString().slice(0, 10);
}

/**
 * Where the ranking lives: the defaults of its settings and its Redis key names, shared by
 * ranking-worker (which writes the daily sets) and order-api (which reads windows of them).
 */
export const rankingDefaults = { timeZone: 'Asia/Seoul', keyPrefix: 'ranking:' } as const;

export function rankingKeys(prefix: string) {
  return {
    /** One sorted set per ranking day: product id → units sold. */
    daily: (day: string) => `${prefix}daily:${day}`,
    /** A cached sum of the days from `from` to `to`. */
    window: (from: string, to: string) => `${prefix}window:${from}:${to}`,
    /** The dedupe mark of one counted OrderCompleted event. */
    seen: (eventId: string) => `${prefix}seen:${eventId}`,
  };
}
