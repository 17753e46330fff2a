import { describe, expect, it } from 'vitest';
import { addDays, dayOf, daysBetween, daysEndingWith } from './ranking-days.ts';

describe('ranking days', () => {
  it('when an instant is just before or at midnight in Seoul, then it belongs to that Seoul day', () => {
    expect(dayOf(new Date('2026-03-09T14:59:59.999Z'), 'Asia/Seoul')).toBe('2026-03-09');
    expect(dayOf(new Date('2026-03-09T15:00:00.000Z'), 'Asia/Seoul')).toBe('2026-03-10');
    expect(dayOf(new Date('2026-03-09T15:00:00.000Z'), 'UTC')).toBe('2026-03-09');
  });

  it('when a zone changes its clocks, then the day still follows its local calendar', () => {
    // New York springs forward on 2026-03-08: local midnight is 05:00Z before, 04:00Z after.
    expect(dayOf(new Date('2026-03-08T04:59:00Z'), 'America/New_York')).toBe('2026-03-07');
    expect(dayOf(new Date('2026-03-09T04:00:00Z'), 'America/New_York')).toBe('2026-03-09');
  });

  it('when a window crosses a month or a leap day, then the previous days are calendar days', () => {
    expect(daysEndingWith('2028-03-02', 3)).toEqual(['2028-03-02', '2028-03-01', '2028-02-29']);
    expect(daysEndingWith('2027-01-01', 2)).toEqual(['2027-01-01', '2026-12-31']);
    expect(daysEndingWith('2026-05-05', 1)).toEqual(['2026-05-05']);
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
