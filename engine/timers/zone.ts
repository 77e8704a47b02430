/**
 * Wall-clock arithmetic in an IANA timezone on top of Intl, shaped after what APScheduler 3 does
 * with pytz: an aware datetime is a wall time plus the UTC offset it was read with, `normalize`
 * re-reads the wall time of its instant, and `localize` picks the standard-time offset
 * (pytz's `is_dst=False`) for a wall time that happens twice or never.
 */

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** A wall time (its fields read as if it were UTC, in ms) with the offset it carries (ms east of UTC). */
export interface Aware {
  wall: number;
  offset: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      era: 'short',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** Whether Intl knows the zone (an IANA name such as `Europe/Berlin`, or `UTC`). */
export function isKnownZone(zone: string): boolean {
  try {
    formatter(zone);
    return true;
  } catch {
    return false;
  }
}

/** The zone's UTC offset at an instant, in ms (whole minutes: Intl gives no seconds of offset). */
export function offsetAt(zone: string, instant: number): number {
  const floored = Math.floor(instant / 1000) * 1000;
  const parts: Record<string, string> = {};
  for (const p of formatter(zone).formatToParts(new Date(floored))) parts[p.type] = p.value;
  let year = Number(parts.year);
  if (parts.era === 'BC' || parts.era === 'B') year = 1 - year;
  const wall = Date.UTC(year, Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  return Math.round((wall - floored) / MINUTE_MS) * MINUTE_MS;
}

/** The aware wall time of an instant in the zone (APScheduler's `astimezone` and `normalize`). */
export function atInstant(zone: string, instant: number): Aware {
  const offset = offsetAt(zone, instant);
  return { wall: instant + offset, offset };
}

/** The instant an aware wall time stands for. */
export const instantOf = (a: Aware): number => a.wall - a.offset;

/**
 * pytz's `localize(wall, is_dst=False)`: the one offset that reads back as this wall time; for a
 * wall time that happens twice (autumn), the standard-time one; for one that never happens (the
 * spring gap), the standard-time offset anyway, so 02:30 in New York's gap is 02:30-05:00, the
 * instant 03:30-04:00.
 */
export function localize(zone: string, wall: number): Aware {
  const candidates = new Set([offsetAt(zone, wall - DAY_MS), offsetAt(zone, wall), offsetAt(zone, wall + DAY_MS)]);
  const valid = [...candidates].filter((o) => offsetAt(zone, wall - o) === o);
  // Standard time is the smaller offset of the two around a change, in every zone pytz ships
  // whose DST moves clocks forward.
  const pick = valid.length > 0 ? Math.min(...valid) : Math.min(...candidates);
  return { wall, offset: pick };
}

/** The calendar fields of a wall time. */
export interface WallFields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
}

export function fieldsOf(wall: number): WallFields {
  const d = new Date(wall);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    millisecond: d.getUTCMilliseconds(),
  };
}

export function wallFrom(f: Omit<WallFields, 'millisecond'> & { millisecond?: number }): number {
  const d = new Date(0);
  d.setUTCFullYear(f.year, f.month - 1, f.day);
  d.setUTCHours(f.hour, f.minute, f.second, f.millisecond ?? 0);
  return d.getTime();
}

/** Days in a month (Python's `calendar.monthrange(y, m)[1]`). */
export function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
}

/** Python's `date.weekday()`: Monday is 0. */
export const weekdayOf = (wall: number): number => (new Date(wall).getUTCDay() + 6) % 7;

/** Python's `date.isocalendar()[1]`: the ISO week number. */
export function isoWeekOf(wall: number): number {
  const f = fieldsOf(wall);
  const day = wallFrom({ year: f.year, month: f.month, day: f.day, hour: 0, minute: 0, second: 0 });
  // The Thursday of this ISO week decides its year.
  const thursday = day + (3 - weekdayOf(day)) * DAY_MS;
  const jan1 = wallFrom({ year: new Date(thursday).getUTCFullYear(), month: 1, day: 1, hour: 0, minute: 0, second: 0 });
  return Math.floor((thursday - jan1) / DAY_MS / 7) + 1;
}
