import { describe, expect, it } from 'vitest';
import { addDays, dayOf, daysBetween } from './ranking-days.ts';

describe('ranking days', () => {
  it('when an instant is just before or at midnight in Seoul, then it belongs to that Seoul day', () => {
    expect(dayOf(Date.parse('2026-03-09T14:59:59.999Z'), 'Asia/Seoul')).toBe('2026-03-09');
    expect(dayOf(Date.parse('2026-03-09T15:00:00.000Z'), 'Asia/Seoul')).toBe('2026-03-10');
  });

  it('when a range crosses a month end or a leap day, then every calendar day is listed once', () => {
    expect(daysBetween('2028-02-28', '2028-03-01')).toEqual([
      '2028-02-28',
      '2028-02-29',
      '2028-03-01',
    ]);
    expect(daysBetween('2026-03-10', '2026-03-10')).toEqual(['2026-03-10']);
    expect(daysBetween('2026-03-11', '2026-03-10')).toEqual([]);
    expect(addDays('2027-01-01', -6)).toBe('2026-12-26');
  });
});
