import { describe, expect, it } from 'vitest';
import { hourBucket } from './hours.ts';

const at = (iso: string) => Date.parse(iso);

describe('hourBucket', () => {
  it('when an event is a minute before and after Seoul midnight, then it lands in 23:00 of one day and 00:00 of the next', () => {
    // Seoul is UTC+9: local midnight of 2026-03-10 is 2026-03-09T15:00Z.
    expect(hourBucket(at('2026-03-09T14:59:59.999Z'), 'Asia/Seoul')).toEqual({
      start: new Date('2026-03-09T14:00:00.000Z'),
      day: '2026-03-09',
    });
    expect(hourBucket(at('2026-03-09T15:00:00.000Z'), 'Asia/Seoul')).toEqual({
      start: new Date('2026-03-09T15:00:00.000Z'),
      day: '2026-03-10',
    });
  });

  it('when the zone is UTC, then the same instant is in the previous day', () => {
    expect(hourBucket(at('2026-03-09T15:30:00Z'), 'UTC')).toEqual({
      start: new Date('2026-03-09T15:00:00Z'),
      day: '2026-03-09',
    });
  });

  it('when the zone has a half-hour offset, then the hour starts at half past in UTC', () => {
    // Asia/Kolkata is UTC+5:30: local 10:00 is 04:30Z.
    expect(hourBucket(at('2026-03-09T04:45:10Z'), 'Asia/Kolkata')).toEqual({
      start: new Date('2026-03-09T04:30:00Z'),
      day: '2026-03-09',
    });
  });
});
