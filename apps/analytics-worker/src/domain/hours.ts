import { dayOf } from '@commerce/events';

/** The hour an instant falls in, in the analytics time zone. */
export interface HourBucket {
  /** The UTC instant the local hour starts (xx:00 local; xx:30 UTC in half-hour zones). */
  start: Date;
  /** The local calendar day of that hour, YYYY-MM-DD. */
  day: string;
}

const minuteFormats = new Map<string, Intl.DateTimeFormat>();
// Every zone's offset is a multiple of 15 minutes, so all instants of one 15-minute UTC
// slot share a local hour: one Intl call per slot instead of two per event.
const SLOT_MS = 15 * 60_000;
const slots = new Map<string, HourBucket>();

function minuteFormat(timeZone: string): Intl.DateTimeFormat {
  let format = minuteFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, minute: 'numeric', second: 'numeric' });
    minuteFormats.set(timeZone, format);
  }
  return format;
}

/**
 * The local hour of `instant` in `timeZone`: its start is the instant minus the local
 * minutes, seconds and milliseconds, so zones with half- or quarter-hour offsets work too.
 * The day is the rankings' rule (`dayOf`), so an order counts on the same day in both.
 */
export function hourBucket(instant: number, timeZone: string): HourBucket {
  const slot = `${timeZone}|${Math.floor(instant / SLOT_MS)}`;
  let bucket = slots.get(slot);
  if (!bucket) {
    if (slots.size >= 10_000) slots.clear();
    bucket = computeBucket(Math.floor(instant / SLOT_MS) * SLOT_MS, timeZone);
    slots.set(slot, bucket);
  }
  return { start: bucket.start, day: bucket.day };
}

function computeBucket(instant: number, timeZone: string): HourBucket {
  const parts = minuteFormat(timeZone).formatToParts(instant);
  const minute = Number(parts.find((p) => p.type === 'minute')?.value ?? 0);
  const second = Number(parts.find((p) => p.type === 'second')?.value ?? 0);
  const millis = ((instant % 1_000) + 1_000) % 1_000;
  const start = instant - (minute * 60 + second) * 1_000 - millis;
  return { start: new Date(start), day: dayOf(start, timeZone) };
}
