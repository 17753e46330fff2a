import { DomainError } from '@commerce/service';
import type { Range } from './report-reader.ts';

const MAX_SPAN_DAYS = 400;

/** A query's range, checked: from before to, at most ~13 months at once. */
export function checkedRange(from: string, to: string): Range {
  const range = { from: new Date(from), to: new Date(to) };
  if (!(range.from < range.to))
    throw new DomainError('INVALID_RANGE', '`from` must be before `to`', { from, to });
  if (range.to.getTime() - range.from.getTime() > MAX_SPAN_DAYS * 86_400_000)
    throw new DomainError('INVALID_RANGE', `a range spans at most ${MAX_SPAN_DAYS} days`, {
      from,
      to,
    });
  return range;
}
