import { z } from 'zod';

/** An instant with its offset, e.g. 2026-03-10T00:00:00+09:00 (from inclusive, to exclusive). */
export const instant = z.iso.datetime({ offset: true });

export const rangeQuery = { from: instant, to: instant };

export const csvNote = 'Send `Accept: text/csv` for the same data as CSV.';
