import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PackValidationError, formatPackIssue, loadPack } from '../../../engine/packs/index.ts';
import { InvalidTimer, nextTick, parseTimer, timerInstanceId, timerPayload } from '../../../engine/timers/index.ts';

const fixture = (name: string) => fileURLToPath(new URL(`../../fixtures/packs/${name}`, import.meta.url));

describe('timer rules at registration', () => {
  it('loads timer rules as st2 packs write them', async () => {
    // Act
    const pack = await loadPack(fixture('timers'));
    // Assess
    expect(pack.rules.map((r) => r.trigger.type).sort()).toEqual(['core.st2.CronTimer', 'core.st2.CronTimer', 'core.st2.DateTimer', 'core.st2.IntervalTimer']);
  });

  it('names the rule file and the parameter of every timer that cannot run', async () => {
    // Act
    const error = await loadPack(fixture('bad_timers')).then(
      () => undefined,
      (e: unknown) => e,
    );
    // Assess
    expect(error).toBeInstanceOf(PackValidationError);
    const lines = (error as PackValidationError).issues.map(formatPackIssue).sort();
    expect(lines).toEqual([
      'rules/bad_date.yaml: trigger.parameters.date: expected a date and time such as "2026-12-31 23:59:59" or "2026-12-31T23:59:59+01:00", got "next tuesday"',
      'rules/bad_step.yaml: trigger.parameters.minute: Increment must be higher than 0',
      'rules/bad_unit.yaml: trigger.parameters.unit: expected one of weeks, days, hours, minutes, seconds, got "fortnights"',
      'rules/bad_weekday.yaml: trigger.parameters.day_of_week: Invalid weekday name "funday"',
      'rules/bad_zone.yaml: trigger.parameters.timezone: expected an IANA timezone name such as "Europe/Berlin" or "UTC", got "Mars/Olympus"',
      'rules/extra_param.yaml: trigger.parameters.when: unknown parameter of core.st2.DateTimer (expected timezone, date)',
      'rules/zero_delta.yaml: trigger.parameters.delta: expected a whole number of seconds of at least 1, got 0',
    ]);
  });
});

describe('timer parameters', () => {
  const rejects = (type: string, parameters: unknown) => {
    try {
      parseTimer(type, parameters);
    } catch (err) {
      expect(err).toBeInstanceOf(InvalidTimer);
      return { field: (err as InvalidTimer).field, message: (err as InvalidTimer).message };
    }
    throw new Error('accepted');
  };

  it('rejects hostile values without echoing them whole', () => {
    // Prepare
    const long = `${'x'.repeat(5000)}`;
    // Act
    const date = rejects('core.st2.DateTimer', { date: long });
    const zone = rejects('core.st2.CronTimer', { timezone: '../../etc/passwd', hour: 1 });
    const cron = rejects('core.st2.CronTimer', { minute: long });
    const delta = rejects('core.st2.IntervalTimer', { unit: 'seconds', delta: 1e300 });
    // Assess
    expect(date.field).toBe('date');
    expect(date.message.length).toBeLessThan(200);
    expect(zone).toMatchObject({ field: 'timezone' });
    expect(cron.field).toBe('minute');
    expect(delta.field).toBe('delta');
  });

  it('accepts integers and expressions in cron fields, as current st2 does', () => {
    // Act
    const timer = parseTimer('core.st2.CronTimer', { hour: 9, minute: '0,30', day_of_week: 'mon-fri' });
    // Assess: Friday 2026-03-06 09:10 UTC, the next is 09:30, then Monday 09:00.
    const first = nextTick(timer, Date.parse('2026-03-06T09:10:00Z'))!;
    expect(new Date(first).toISOString()).toBe('2026-03-06T09:30:00.000Z');
    expect(new Date(nextTick(timer, first + 1)!).toISOString()).toBe('2026-03-09T09:00:00.000Z');
  });

  it('has no tick left for a date timer whose date has passed, as st2 schedules none', () => {
    // Prepare
    const timer = parseTimer('core.st2.DateTimer', { date: '2026-01-01T00:00:00Z' });
    // Act & Assess
    expect(nextTick(timer, Date.parse('2026-01-01T00:00:00Z'))).toBe(Date.parse('2026-01-01T00:00:00Z'));
    expect(nextTick(timer, Date.parse('2026-01-01T00:00:00.001Z'))).toBeUndefined();
  });

  it('gives each tick of a rule one instance id and st2 payload', () => {
    // Act
    const id = timerInstanceId('ops.nightly', Date.parse('2026-03-01T00:00:00Z'));
    // Assess
    expect(id).toBe('timer-ops.nightly-1772323200000');
    expect(timerPayload(Date.parse('2026-03-01T00:00:00.250Z'))).toEqual({ executed_at: '2026-03-01 00:00:00.250000+00:00', schedule: null });
    expect(timerPayload(Date.parse('2026-03-01T00:00:00Z')).executed_at).toBe('2026-03-01 00:00:00+00:00');
  });
});
