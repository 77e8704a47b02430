/**
 * StackStorm's timer triggers (`core.st2.IntervalTimer`, `core.st2.DateTimer`,
 * `core.st2.CronTimer`): their parameters checked as st2's parameter schemas and APScheduler 3
 * check them, and the next tick of each after an instant, as APScheduler 3 computes it.
 */
import { CronSyntax } from './cron-fields.ts';
import { compileCron, nextCronTime, type CronSchedule, type CronSpec } from './cron.ts';
import { InvalidTimer } from './errors.ts';
import { instantOf, isKnownZone, localize, wallFrom } from './zone.ts';

export const INTERVAL_TIMER = 'core.st2.IntervalTimer';
export const DATE_TIMER = 'core.st2.DateTimer';
export const CRON_TIMER = 'core.st2.CronTimer';
export const TIMER_TRIGGERS: readonly string[] = [INTERVAL_TIMER, DATE_TIMER, CRON_TIMER];

/** The zone a timer without `timezone` runs in: st2 takes the host's, which is UTC on Attune's hosts. */
export const DEFAULT_TIMER_ZONE = 'UTC';

const UNIT_MS = { weeks: 604_800_000, days: 86_400_000, hours: 3_600_000, minutes: 60_000, seconds: 1000 } as const;
type Unit = keyof typeof UNIT_MS;

/** A timer rule's schedule, parsed. */
export type Timer =
  | { kind: 'interval'; zone: string; intervalMs: number }
  | { kind: 'date'; zone: string; at: number }
  | { kind: 'cron'; zone: string; cron: CronSchedule };

const CRON_FIELDS = ['year', 'month', 'day', 'week', 'day_of_week', 'hour', 'minute', 'second'] as const;
const ALLOWED: Record<string, readonly string[]> = {
  [INTERVAL_TIMER]: ['timezone', 'unit', 'delta'],
  [DATE_TIMER]: ['timezone', 'date'],
  [CRON_TIMER]: ['timezone', ...CRON_FIELDS],
};

const describe = (v: unknown): string => (typeof v === 'string' ? JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v) : Array.isArray(v) ? 'a list' : v === null ? 'null' : typeof v === 'object' ? 'an object' : String(v));

function zoneOf(params: Record<string, unknown>): string {
  const zone = params['timezone'];
  if (zone === undefined || zone === null) return DEFAULT_TIMER_ZONE;
  if (typeof zone !== 'string' || !/^[A-Za-z][A-Za-z0-9_+\-/]{0,63}$/.test(zone) || !isKnownZone(zone)) {
    throw new InvalidTimer(`expected an IANA timezone name such as "Europe/Berlin" or "UTC", got ${describe(zone)}`, 'timezone');
  }
  return zone;
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?)?\s*(Z|UTC|[+-]\d{2}(?::?\d{2})?)?$/i;

/**
 * The instant of a DateTimer's `date`: ISO 8601 or `YYYY-MM-DD HH:MM:SS`; with an offset it is
 * that instant, without one it is the wall time in the timer's zone (pytz `is_dst=False`).
 */
export function parseTimerDate(date: unknown, zone: string): number {
  const m = typeof date === 'string' ? DATE_RE.exec(date.trim()) : null;
  const fail = () => new InvalidTimer(`expected a date and time such as "2026-12-31 23:59:59" or "2026-12-31T23:59:59+01:00", got ${describe(date)}`, 'date');
  if (!m) throw fail();
  const [year, month, day, hour, minute, second] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i] ?? 0)) as [number, number, number, number, number, number];
  const millisecond = Math.floor(Number(`0.${m[7] ?? '0'}`) * 1000);
  const wall = wallFrom({ year, month, day, hour, minute, second, millisecond });
  const back = new Date(wall);
  if (month < 1 || month > 12 || back.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) throw fail();
  const tz = m[8];
  if (tz === undefined) return instantOf(localize(zone, wall));
  if (/^(z|utc)$/i.test(tz)) return wall;
  const sign = tz.startsWith('-') ? -1 : 1;
  const digits = tz.slice(1).replace(':', '');
  const offsetMinutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || 0);
  return wall - sign * offsetMinutes * 60_000;
}

/**
 * Parses a timer trigger's parameters; throws InvalidTimer naming the parameter at fault.
 *
 * @example
 * parseTimer('core.st2.CronTimer', { timezone: 'Europe/Berlin', hour: 9, day_of_week: 'mon-fri' })
 */
export function parseTimer(type: string, parameters: unknown): Timer {
  if (!TIMER_TRIGGERS.includes(type)) throw new InvalidTimer(`${type} is not a timer trigger (expected one of ${TIMER_TRIGGERS.join(', ')})`, 'type');
  const params = (parameters ?? {}) as Record<string, unknown>;
  if (typeof params !== 'object' || Array.isArray(params)) throw new InvalidTimer(`expected an object of parameters, got ${describe(parameters)}`, '');
  for (const key of Object.keys(params)) {
    if (!ALLOWED[type]!.includes(key)) throw new InvalidTimer(`unknown parameter of ${type} (expected ${ALLOWED[type]!.join(', ')})`, key);
  }
  const zone = zoneOf(params);
  if (type === INTERVAL_TIMER) {
    const unit = params['unit'];
    if (typeof unit !== 'string' || !Object.hasOwn(UNIT_MS, unit)) throw new InvalidTimer(`expected one of ${Object.keys(UNIT_MS).join(', ')}, got ${describe(unit)}`, 'unit');
    const delta = params['delta'];
    if (typeof delta !== 'number' || !Number.isSafeInteger(delta) || delta < 1) throw new InvalidTimer(`expected a whole number of ${unit} of at least 1, got ${describe(delta)}`, 'delta');
    return { kind: 'interval', zone, intervalMs: delta * UNIT_MS[unit as Unit] };
  }
  if (type === DATE_TIMER) {
    if (params['date'] === undefined) throw new InvalidTimer('required: the date and time to fire at', 'date');
    return { kind: 'date', zone, at: parseTimerDate(params['date'], zone) };
  }
  const spec: CronSpec = {};
  for (const name of CRON_FIELDS) {
    const v = params[name];
    if (v === undefined || v === null) continue;
    if (typeof v === 'number' ? !Number.isSafeInteger(v) || v < 0 : typeof v !== 'string' || v.length > 200) {
      throw new InvalidTimer(`expected a whole number or a cron expression such as "*/5", "mon-fri" or "last", got ${describe(v)}`, name);
    }
    spec[name] = v as string | number;
  }
  try {
    return { kind: 'cron', zone, cron: compileCron(spec, zone) };
  } catch (err) {
    if (err instanceof CronSyntax) throw new InvalidTimer(err.message, (err as CronSyntax & { field?: string }).field ?? '', { cause: err });
    throw err;
  }
}

/**
 * The first tick at or after `from` (epoch ms), or undefined when the timer has no more.
 * An interval timer ticks at `anchor + n × interval`, n ≥ 1, in elapsed time (APScheduler adds
 * the interval to an aware time: a day is 24 hours across a DST change); `anchor` is when it was
 * scheduled. A date timer ticks once, and not at all once its date has passed.
 */
export function nextTick(timer: Timer, from: number, anchor = from): number | undefined {
  if (timer.kind === 'date') return timer.at >= from ? timer.at : undefined;
  if (timer.kind === 'cron') return nextCronTime(timer.cron, from);
  const start = anchor + timer.intervalMs;
  if (start >= from) return start;
  return start + Math.ceil((from - start) / timer.intervalMs) * timer.intervalMs;
}

/** The trigger instance id of a rule's tick: the same tick dispatched twice is one instance. */
export const timerInstanceId = (ruleRef: string, tick: number): string => `timer-${ruleRef}-${tick}`;

/** st2's timer payload: `executed_at` as Python prints a UTC datetime, `schedule` (st2 sends None). */
export function timerPayload(executedAt: number): { executed_at: string; schedule: null } {
  const iso = new Date(executedAt).toISOString();
  const fraction = executedAt % 1000 === 0 ? '' : `${iso.slice(19, 23)}000`;
  return { executed_at: `${iso.slice(0, 10)} ${iso.slice(11, 19)}${fraction}+00:00`, schedule: null };
}
