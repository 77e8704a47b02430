// st2's timediff operators parse the payload's timestamp with dateutil and take a timestamp
// without a zone as UTC. Attune reads the two shapes payloads carry: ISO 8601 (Python's
// isoformat(), JavaScript's toISOString(), `2024-05-01 12:00:00 UTC`) and RFC 2822 (HTTP dates).

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?$/i;
const RFC2822 =
  /^(?:(?:mon|tue|wed|thu|fri|sat|sun),?\s+)?(\d{1,2})\s+(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\s+(\d{4})\s+(\d{2}):(\d{2})(?::(\d{2}))?\s*(GMT|UTC|UT|Z|[+-]\d{4})?$/i;
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** Minutes east of UTC of a zone suffix (`Z`, `UTC`, `+02:00`, `-0530`, `+02`); 0 when absent. */
function offsetMinutes(zone: string | undefined): number {
  if (zone === undefined || /^(z|utc|gmt|ut)$/i.test(zone)) return 0;
  const digits = zone.slice(1).replace(':', '');
  const minutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || '0');
  return zone.startsWith('-') ? -minutes : minutes;
}

/** Epoch milliseconds of a calendar time, or undefined when a field is out of range (Feb 30). */
function utcMillis(year: number, month: number, day: number, hour: number, minute: number, second: number, micro: number): number | undefined {
  const at = Date.UTC(year, month - 1, day, hour, minute, second);
  const date = new Date(at);
  const valid = date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day && hour < 24 && minute < 60 && second < 60;
  return valid ? at + micro / 1000 : undefined;
}

/**
 * Epoch milliseconds (with microseconds as a fraction) of an ISO 8601 or RFC 2822 timestamp; a
 * timestamp without a zone is UTC, as st2 reads it. Undefined for anything else.
 *
 * @example parseTimestamp('2014-07-01T00:01:01.000000') // Date.UTC(2014, 6, 1, 0, 1, 1)
 */
export function parseTimestamp(text: string): number | undefined {
  const iso = ISO.exec(text.trim());
  if (iso) {
    const [, y, mo, d, h = '0', mi = '0', s = '0', fraction = '', zone] = iso;
    const micro = Number(fraction.slice(0, 6).padEnd(6, '0'));
    const at = utcMillis(Number(y), Number(mo), Number(d), Number(h), Number(mi), Number(s), micro);
    return at === undefined ? undefined : at - offsetMinutes(zone) * 60_000;
  }
  const rfc = RFC2822.exec(text.trim());
  if (rfc) {
    const [, d, mon, y, h, mi, s = '0', zone] = rfc;
    const at = utcMillis(Number(y), MONTHS.indexOf(mon!.toLowerCase()) + 1, Number(d), Number(h), Number(mi), Number(s), 0);
    return at === undefined ? undefined : at - offsetMinutes(zone) * 60_000;
  }
  return undefined;
}
