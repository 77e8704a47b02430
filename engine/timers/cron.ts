/**
 * APScheduler 3's CronTrigger.get_next_fire_time, step for step, in an IANA timezone: fields are
 * searched from year down to second; a field moved forward to a value sets the fields below it to
 * their minimum and is localized (pytz `is_dst=False`: a time in the spring gap keeps its wall
 * reading with the standard offset, an autumn time that happens twice is the second, standard
 * one); a field that overflows increments the one above by its wall-clock difference, added as
 * elapsed time and normalized.
 */
import { CronSyntax, DEFAULTS, FIELD_NAMES, compileField, type CronField, type FieldName } from './cron-fields.ts';
import { atInstant, fieldsOf, instantOf, localize, wallFrom, type Aware } from './zone.ts';

/** The cron parameters of a `core.st2.CronTimer` rule (each a number or an APScheduler expression). */
export type CronSpec = Partial<Record<FieldName, string | number>>;

/** A compiled cron schedule in one timezone. */
export interface CronSchedule {
  zone: string;
  fields: CronField[];
}

/** Compiles the fields as APScheduler's CronTrigger does: below the least significant given field, defaults; above, `*`. */
export function compileCron(spec: CronSpec, zone: string): CronSchedule {
  const given = FIELD_NAMES.filter((n) => spec[n] !== undefined && spec[n] !== null);
  let remaining = given.length;
  const fields = FIELD_NAMES.map((name) => {
    let source: string | number;
    if (given.includes(name)) {
      source = spec[name]!;
      remaining--;
    } else {
      source = remaining === 0 ? DEFAULTS[name] : '*';
    }
    try {
      return compileField(name, source);
    } catch (err) {
      if (err instanceof CronSyntax) throw Object.assign(err, { field: name });
      throw err;
    }
  });
  return { zone, fields };
}

const REAL_VALUES = (fields: CronField[], wall: number, pick: (f: CronField, i: number) => number) => {
  const values: Record<string, number> = {};
  fields.forEach((f, i) => {
    if (f.real) values[f.name] = pick(f, i);
  });
  return wallFrom(values as Parameters<typeof wallFrom>[0]);
};

function setField(s: CronSchedule, date: Aware, fieldnum: number, value: number): Aware {
  const wall = REAL_VALUES(s.fields, date.wall, (f, i) => (i < fieldnum ? f.value(date.wall) : i > fieldnum ? f.min(date.wall) : value));
  return localize(s.zone, wall);
}

function incrementField(s: CronSchedule, date: Aware, fieldnumIn: number): [Aware, number] {
  let fieldnum = fieldnumIn;
  const values: Record<string, number> = {};
  let i = 0;
  while (i < s.fields.length) {
    const f = s.fields[i]!;
    if (!f.real) {
      if (i === fieldnum) {
        fieldnum--;
        i--;
      } else i++;
      continue;
    }
    if (i < fieldnum) {
      values[f.name] = f.value(date.wall);
      i++;
    } else if (i > fieldnum) {
      values[f.name] = f.min(date.wall);
      i++;
    } else {
      const v = f.value(date.wall);
      if (v === f.max(date.wall)) {
        fieldnum--;
        i--;
      } else {
        values[f.name] = v + 1;
        i++;
      }
    }
    // The year field at its maximum leaves nothing to increment: no next time.
    if (i < 0) return [date, -1];
  }
  const difference = wallFrom(values as Parameters<typeof wallFrom>[0]) - date.wall;
  return [atInstant(s.zone, instantOf(date) + difference), fieldnum];
}

/** The first fire time at or after `from` (epoch ms, rounded up to the second), or undefined when none is left. */
export function nextCronTime(s: CronSchedule, from: number): number | undefined {
  let date = atInstant(s.zone, Math.ceil(from / 1000) * 1000);
  let fieldnum = 0;
  // Each pass moves a field forward or up; the guard only stops a schedule that cannot be met.
  for (let guard = 0; fieldnum >= 0 && fieldnum < s.fields.length; guard++) {
    if (guard > 100_000) return undefined;
    if (fieldsOf(date.wall).year > 9999) return undefined;
    const field = s.fields[fieldnum]!;
    const current = field.value(date.wall);
    const next = field.next(date.wall);
    if (next === undefined) {
      [date, fieldnum] = incrementField(s, date, fieldnum - 1);
    } else if (next > current) {
      if (field.real) {
        date = setField(s, date, fieldnum, next);
        fieldnum++;
      } else {
        [date, fieldnum] = incrementField(s, date, fieldnum);
      }
    } else {
      fieldnum++;
    }
  }
  return fieldnum >= 0 ? instantOf(date) : undefined;
}
