/**
 * APScheduler 3's cron fields and expressions (`apscheduler.triggers.cron.fields` and
 * `.expressions`): `*`, `*\/n`, `a`, `a-b`, `a-b/n`, month and weekday names, `last` and
 * `1st fri` … `last fri` in the day field; day_of_week 0 is Monday.
 */
import { daysInMonth, fieldsOf, isoWeekOf, weekdayOf } from './zone.ts';

export const FIELD_NAMES = ['year', 'month', 'day', 'week', 'day_of_week', 'hour', 'minute', 'second'] as const;
export type FieldName = (typeof FIELD_NAMES)[number];

const MIN: Record<FieldName, number> = { year: 1970, month: 1, day: 1, week: 1, day_of_week: 0, hour: 0, minute: 0, second: 0 };
const MAX: Record<FieldName, number> = { year: 9999, month: 12, day: 31, week: 53, day_of_week: 6, hour: 23, minute: 59, second: 59 };
/** What a field defaults to when a more significant one is given (APScheduler's DEFAULT_VALUES). */
export const DEFAULTS: Record<FieldName, string> = { year: '*', month: '1', day: '1', week: '*', day_of_week: '*', hour: '0', minute: '0', second: '0' };

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const POSITIONS = ['1st', '2nd', '3rd', '4th', '5th', 'last'];

/** A field of one trigger: reads its value from a wall time and finds the next allowed one. */
export interface CronField {
  name: FieldName;
  /** Fields that set a calendar component; week and day_of_week only constrain. */
  real: boolean;
  value(wall: number): number;
  min(wall: number): number;
  max(wall: number): number;
  next(wall: number): number | undefined;
}

type Expression = (wall: number, field: CronField) => number | undefined;

/** A problem compiling one expression; the caller names the parameter. */
export class CronSyntax extends Error {
  override name = 'CronSyntax';
}

function stepped(step: number | undefined, lo: number, hi: number, start: number): number | undefined {
  let next = Math.max(lo, start);
  if (step) next += (((step - (next - lo)) % step) + step) % step;
  return next <= hi ? next : undefined;
}

function range(name: FieldName, expr: string, first: number, last: number | undefined, step: number | undefined): Expression {
  if (step === 0) throw new CronSyntax('Increment must be higher than 0');
  if (step && step > MAX[name] - MIN[name]) throw new CronSyntax(`Error validating expression '${expr}': the step value (${step}) is higher than the total range of the expression (${MAX[name] - MIN[name]})`);
  if (last === undefined && step === undefined) last = first;
  if (last !== undefined && first > last) throw new CronSyntax('The minimum value in a range must not be higher than the maximum');
  if (first < MIN[name]) throw new CronSyntax(`Error validating expression '${expr}': the first value (${first}) is lower than the minimum value (${MIN[name]})`);
  if (last !== undefined && last > MAX[name]) throw new CronSyntax(`Error validating expression '${expr}': the last value (${last}) is higher than the maximum value (${MAX[name]})`);
  const span = (last || MAX[name]) - first;
  if (step && step > span) throw new CronSyntax(`Error validating expression '${expr}': the step value (${step}) is higher than the total range of the expression (${span})`);
  return (wall, field) => stepped(step, Math.max(field.min(wall), first), last !== undefined ? Math.min(field.max(wall), last) : field.max(wall), field.value(wall));
}

function compile(name: FieldName, expr: string): Expression {
  let m = /^\*(?:\/(\d+))?$/.exec(expr);
  if (m) {
    const step = m[1] === undefined ? undefined : Number(m[1]);
    if (step === 0) throw new CronSyntax('Increment must be higher than 0');
    if (step && step > MAX[name] - MIN[name]) throw new CronSyntax(`Error validating expression '${expr}': the step value (${step}) is higher than the total range of the expression (${MAX[name] - MIN[name]})`);
    return (wall, field) => stepped(step, field.min(wall), field.max(wall), field.value(wall));
  }
  m = /^(\d+)(?:-(\d+))?(?:\/(\d+))?$/.exec(expr);
  if (m) return range(name, expr, Number(m[1]), m[2] === undefined ? undefined : Number(m[2]), m[3] === undefined ? undefined : Number(m[3]));
  // Names, like APScheduler's patterns, are matched from the start only: trailing text is ignored.
  const names = name === 'month' ? MONTHS : name === 'day_of_week' ? WEEKDAYS : undefined;
  m = names ? /^([a-z]+)(?:-([a-z]+))?/i.exec(expr) : null;
  if (names && m) {
    const kind = name === 'month' ? 'month' : 'weekday';
    const index = (s: string) => {
      const i = names.indexOf(s.toLowerCase());
      if (i < 0) throw new CronSyntax(`Invalid ${kind} name "${s}"`);
      return name === 'month' ? i + 1 : i;
    };
    return range(name, expr, index(m[1]!), m[2] ? index(m[2]) : undefined, undefined);
  }
  if (name === 'day') {
    m = new RegExp(`^(${POSITIONS.join('|')}) +(\\d+|\\w+)`, 'i').exec(expr);
    if (m) {
      const option = POSITIONS.indexOf(m[1]!.toLowerCase());
      const weekday = WEEKDAYS.indexOf(m[2]!.toLowerCase());
      if (weekday < 0) throw new CronSyntax(`Invalid weekday name "${m[2]}"`);
      return (wall) => {
        const { year, month, day } = fieldsOf(wall);
        const last = daysInMonth(year, month);
        let firstHit = weekday - weekdayOf(wall - (day - 1) * 86_400_000) + 1;
        if (firstHit <= 0) firstHit += 7;
        const target = option < 5 ? firstHit + option * 7 : firstHit + Math.floor((last - firstHit) / 7) * 7;
        return target <= last && target >= day ? target : undefined;
      };
    }
    if (/^last/i.test(expr)) return (wall) => daysInMonth(fieldsOf(wall).year, fieldsOf(wall).month);
  }
  throw new CronSyntax(`Unrecognized expression "${expr}" for field "${name}"`);
}

/** Compiles one field from its parameter value (APScheduler splits on commas with spaces around). */
export function compileField(name: FieldName, source: string | number): CronField {
  const expressions = String(source).trim().split(/ *, */).map((e) => compile(name, e));
  const field: CronField = {
    name,
    real: name !== 'week' && name !== 'day_of_week',
    value: (wall) => (name === 'week' ? isoWeekOf(wall) : name === 'day_of_week' ? weekdayOf(wall) : fieldsOf(wall)[name]),
    min: () => MIN[name],
    max: (wall) => (name === 'day' ? daysInMonth(fieldsOf(wall).year, fieldsOf(wall).month) : MAX[name]),
    next: (wall) => {
      let smallest: number | undefined;
      for (const e of expressions) {
        const v = e(wall, field);
        if (smallest === undefined || (v !== undefined && v < smallest)) smallest = v;
      }
      return smallest;
    },
  };
  return field;
}
