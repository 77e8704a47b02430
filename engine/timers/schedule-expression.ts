/**
 * st2's timer parameters as EventBridge Scheduler expressions (`rate()`, `at()`, `cron()` with a
 * time zone). Scheduler's finest unit is the minute and its cron has no seconds or ISO weeks, so
 * some st2 timers cannot be expressed: those are answered `unsupported` with the reason, and the
 * caller leaves them unscheduled on AWS (under `attune dev` the local scheduler runs every one).
 */
import { CRON_TIMER, DATE_TIMER, parseTimer } from './timer.ts';

/** A Scheduler expression and the zone it is read in. */
export type ScheduleExpression = { expression: string; timezone: string } | { unsupported: string };

const MINUTE_MS = 60_000;

/** `rate()` for an interval, in the largest whole unit Scheduler has (minutes, hours, days). */
function rateOf(intervalMs: number): ScheduleExpression {
  if (intervalMs % MINUTE_MS !== 0) return { unsupported: `an interval of ${intervalMs / 1000} s: Scheduler's rate() counts whole minutes` };
  const minutes = intervalMs / MINUTE_MS;
  const [n, unit] = minutes % 1440 === 0 ? [minutes / 1440, 'day'] : minutes % 60 === 0 ? [minutes / 60, 'hour'] : [minutes, 'minute'];
  return { expression: `rate(${n} ${unit}${n === 1 ? '' : 's'})`, timezone: 'UTC' };
}

/** `at()` of an instant, in UTC to the second (Scheduler's `at` has no fraction). */
function atOf(instant: number): ScheduleExpression {
  return { expression: `at(${new Date(instant).toISOString().slice(0, 19)})`, timezone: 'UTC' };
}

const FIELD_ORDER = ['year', 'month', 'day', 'week', 'day_of_week', 'hour', 'minute', 'second'] as const;
type Field = (typeof FIELD_ORDER)[number];
/** APScheduler 3's values for the fields after the last one given. */
const DEFAULTS: Record<Field, string> = { year: '*', month: '1', day: '1', week: '*', day_of_week: '*', hour: '0', minute: '0', second: '0' };
/** APScheduler counts weekdays from Monday = 0; Scheduler names them. */
const WEEKDAYS = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'];
const PLAIN = /^[0-9a-z*,\-/]+$/;

/** A field as Scheduler writes it: `*\/n` becomes `first/n`, since Scheduler's steps start at a value. */
function stepped(value: string, first: number): string {
  return value.replace(/^\*\/(\d+)$/, `${first}/$1`);
}

function weekday(value: string): string | undefined {
  const token = (t: string): string | undefined => {
    if (/^\d$/.test(t)) return WEEKDAYS[Number(t)];
    const name = t.slice(0, 3).toUpperCase();
    return WEEKDAYS.includes(name) && t.length === 3 ? name : undefined;
  };
  const parts = value.split(',').map((part) => {
    const range = part.split('-');
    if (range.length > 2) return undefined;
    const mapped = range.map(token);
    return mapped.includes(undefined) ? undefined : mapped.join('-');
  });
  return parts.includes(undefined) ? undefined : parts.join(',');
}

/**
 * `cron()` of st2's CronTimer fields, after APScheduler 3's defaulting (fields after the last one
 * given take their minimum, those before it `*`). Not expressible: a second other than 0, an ISO
 * `week`, both `day` and `day_of_week` restricted (APScheduler requires both, Scheduler allows one),
 * and APScheduler's `xth weekday` day forms or stepped ranges (its `last` day is Scheduler's `L`).
 */
function cronOf(params: Record<string, unknown>, zone: string): ScheduleExpression {
  const given = FIELD_ORDER.filter((f) => params[f] !== undefined && params[f] !== null);
  // With no field given APScheduler defaults none: every field is `*`, a tick every second.
  const lastGiven = given.length === 0 ? FIELD_ORDER.length : FIELD_ORDER.indexOf(given[given.length - 1]!);
  const value = {} as Record<Field, string>;
  FIELD_ORDER.forEach((f, i) => {
    value[f] = params[f] !== undefined && params[f] !== null ? String(params[f]).trim().toLowerCase() : i > lastGiven ? DEFAULTS[f] : '*';
  });
  for (const f of FIELD_ORDER) {
    const letters = /[a-z]/.test(value[f]) && f !== 'day_of_week' && f !== 'month' && !(f === 'day' && value[f] === 'last');
    if (!PLAIN.test(value[f]) || letters || /-\d+\//.test(value[f])) return { unsupported: `${f} ${JSON.stringify(value[f])}: Scheduler's cron has no such form` };
  }
  // APScheduler's last day of the month is Scheduler's `L`.
  if (value.day === 'last') value.day = 'L';
  value.month = value.month.toUpperCase();
  if (value.second !== '0') return { unsupported: `second ${JSON.stringify(value.second)}: Scheduler's cron fires on whole minutes only` };
  if (value.week !== '*') return { unsupported: `week ${JSON.stringify(value.week)}: Scheduler's cron has no ISO week field` };
  const dow = value.day_of_week === '*' ? '?' : weekday(value.day_of_week);
  if (dow === undefined) return { unsupported: `day_of_week ${JSON.stringify(value.day_of_week)}: expected weekday numbers (0 = Monday) or names` };
  if (dow !== '?' && value.day !== '*') return { unsupported: "both day and day_of_week: Scheduler's cron takes one of them" };
  const day = dow === '?' ? stepped(value.day, 1) : '?';
  const fields = [stepped(value.minute, 0), stepped(value.hour, 0), day, stepped(value.month, 1), dow, value.year];
  return { expression: `cron(${fields.join(' ')})`, timezone: zone };
}

/**
 * The Scheduler expression of a timer rule's trigger.
 * @throws InvalidTimer naming the parameter, as parseTimer does.
 * @example
 * scheduleExpression('core.st2.CronTimer', { timezone: 'Europe/Berlin', hour: 9, day_of_week: 'mon-fri' })
 * // → { expression: 'cron(0 9 ? * MON-FRI *)', timezone: 'Europe/Berlin' }
 */
export function scheduleExpression(type: string, parameters: unknown): ScheduleExpression {
  const timer = parseTimer(type, parameters);
  if (timer.kind === 'interval') return rateOf(timer.intervalMs);
  if (timer.kind === 'date' || type === DATE_TIMER) return atOf((timer as { at: number }).at);
  return type === CRON_TIMER ? cronOf((parameters ?? {}) as Record<string, unknown>, timer.zone) : { unsupported: `${type} is not a timer` };
}
