import { describe, expect, it } from 'vitest';
import { InvalidTimer, scheduleExpression, scheduleName, syncTimerSchedules, timerMessage, type TimerSchedule } from '../../../engine/timers/index.ts';
import { parseIntakeMessage } from '../../../engine/triggers/index.ts';
import { handleIntakeBatch, type IntakeEngine } from '../../../functions/event-intake/index.ts';
import { silentLog } from '../../../engine/logging/index.ts';

const cron = (parameters: Record<string, unknown>) => scheduleExpression('core.st2.CronTimer', parameters);

describe("st2 timers as EventBridge Scheduler expressions", () => {
  it('writes an interval in the largest whole unit rate() has, and refuses one finer than a minute', () => {
    expect(scheduleExpression('core.st2.IntervalTimer', { unit: 'minutes', delta: 1 })).toEqual({ expression: 'rate(1 minute)', timezone: 'UTC' });
    expect(scheduleExpression('core.st2.IntervalTimer', { unit: 'seconds', delta: 120 })).toEqual({ expression: 'rate(2 minutes)', timezone: 'UTC' });
    expect(scheduleExpression('core.st2.IntervalTimer', { unit: 'hours', delta: 48 })).toEqual({ expression: 'rate(2 days)', timezone: 'UTC' });
    expect(scheduleExpression('core.st2.IntervalTimer', { unit: 'weeks', delta: 1 })).toEqual({ expression: 'rate(7 days)', timezone: 'UTC' });
    expect(scheduleExpression('core.st2.IntervalTimer', { unit: 'seconds', delta: 30 })).toEqual({ unsupported: expect.stringContaining('whole minutes') });
  });

  it('writes a date timer as at() of its instant in UTC, its zone applied', () => {
    expect(scheduleExpression('core.st2.DateTimer', { date: '2027-03-28 02:30:00', timezone: 'Europe/Berlin' })).toEqual({ expression: 'at(2027-03-28T01:30:00)', timezone: 'UTC' });
    expect(scheduleExpression('core.st2.DateTimer', { date: '2027-01-01T00:00:00+02:00' })).toEqual({ expression: 'at(2026-12-31T22:00:00)', timezone: 'UTC' });
  });

  it('writes a cron timer after APScheduler defaulting, with weekdays named and its zone kept', () => {
    expect(cron({ hour: 9, day_of_week: 'mon-fri', timezone: 'Europe/Berlin' })).toEqual({ expression: 'cron(0 9 ? * MON-FRI *)', timezone: 'Europe/Berlin' });
    expect(cron({ minute: '*/5' })).toEqual({ expression: 'cron(0/5 * * * ? *)', timezone: 'UTC' });
    expect(cron({ day: 1, hour: 2 })).toEqual({ expression: 'cron(0 2 1 * ? *)', timezone: 'UTC' });
    expect(cron({ day_of_week: '0,6', hour: '8-17', minute: 30 })).toEqual({ expression: 'cron(30 8-17 ? * MON,SUN *)', timezone: 'UTC' });
    expect(cron({ year: 2027, month: 6 })).toEqual({ expression: 'cron(0 0 1 6 ? 2027)', timezone: 'UTC' });
  });

  it('answers why a cron timer cannot be expressed: seconds, ISO weeks, both day fields', () => {
    expect(cron({ second: '*/10' })).toEqual({ unsupported: expect.stringContaining('whole minutes') });
    expect(cron({})).toEqual({ unsupported: expect.stringContaining('second') });
    expect(cron({ week: 2, hour: 1 })).toEqual({ unsupported: expect.stringContaining('ISO week') });
    expect(cron({ day: 1, day_of_week: 'mon' })).toEqual({ unsupported: expect.stringContaining('both day and day_of_week') });
    expect(cron({ day: '1st mon', hour: 1 })).toEqual({ unsupported: expect.stringContaining('day') });
    expect(cron({ day: 'last', hour: 1 })).toEqual({ expression: 'cron(0 1 L * ? *)', timezone: 'UTC' });
    expect(cron({ month: 'jan-mar', day: 1 })).toEqual({ expression: 'cron(0 0 1 JAN-MAR ? *)', timezone: 'UTC' });
  });

  it('refuses bad timer parameters naming the parameter, as registration does', () => {
    expect(() => scheduleExpression('core.st2.IntervalTimer', { unit: 'fortnights', delta: 1 })).toThrow(InvalidTimer);
  });
});

describe('timer schedules', () => {
  it('names a schedule after its rule, hashing a ref Scheduler would refuse', () => {
    expect(scheduleName('ops.nightly')).toBe('ops.nightly');
    const long = scheduleName(`ops.${'x'.repeat(80)}`);
    expect(long).toHaveLength(64);
    expect(long).toMatch(/^[0-9A-Za-z._-]+$/);
    expect(scheduleName(`ops.${'x'.repeat(80)}`)).toBe(long);
  });

  it('keeps one schedule per enabled timer rule, deletes the rest, and reports what it cannot express', async () => {
    // Prepare
    const stored = new Map<string, TimerSchedule>([['gone.rule', { rule: 'gone.rule', triggerType: 'core.st2.IntervalTimer', expression: 'rate(1 minute)', timezone: 'UTC' }]]);
    const store = {
      put: async (s: TimerSchedule) => void stored.set(scheduleName(s.rule), s),
      names: async () => [...stored.keys()],
      deleteByName: async (name: string) => void stored.delete(name),
    };
    // Act
    const result = await syncTimerSchedules(store, [
      { ref: 'ops.hourly', enabled: true, trigger: { type: 'core.st2.IntervalTimer', parameters: { unit: 'hours', delta: 1 } } },
      { ref: 'ops.off', enabled: false, trigger: { type: 'core.st2.IntervalTimer', parameters: { unit: 'hours', delta: 1 } } },
      { ref: 'ops.fast', enabled: true, trigger: { type: 'core.st2.IntervalTimer', parameters: { unit: 'seconds', delta: 5 } } },
      { ref: 'ops.hook', enabled: true, trigger: { type: 'core.st2.webhook', parameters: { url: 'x' } } },
    ]);
    // Assess
    expect([...stored.keys()]).toEqual(['ops.hourly']);
    expect(result).toEqual({ put: ['ops.hourly'], deleted: ['gone.rule'], unsupported: [{ rule: 'ops.fast', reason: expect.stringContaining('whole minutes') }] });
  });

  it("delivers a tick the intake dispatches to its rule alone, with the tick's instance id", async () => {
    // Prepare: the message as Scheduler delivers it, its context attribute filled in.
    const body = timerMessage({ rule: 'ops.hourly', triggerType: 'core.st2.IntervalTimer' }).replace('<aws.scheduler.scheduled-time>', '2026-12-03T03:00:00Z');
    const dispatched: unknown[] = [];
    const engine: IntakeEngine = {
      dispatchTrigger: async (t) => (dispatched.push(t), { triggerInstance: 'x', executions: [] }),
      executionEnded: async () => [],
    };
    // Act
    const answer = await handleIntakeBatch(engine, { Records: [{ messageId: 'm1', body }, { messageId: 'm2', body }] }, silentLog);
    // Assess
    expect(answer.batchItemFailures).toEqual([]);
    const tick = Date.parse('2026-12-03T03:00:00Z');
    expect(dispatched).toEqual([
      { type: 'core.st2.IntervalTimer', payload: { executed_at: '2026-12-03 03:00:00+00:00', schedule: null }, instanceId: `timer-ops.hourly-${tick}`, rule: 'ops.hourly' },
      { type: 'core.st2.IntervalTimer', payload: { executed_at: '2026-12-03 03:00:00+00:00', schedule: null }, instanceId: `timer-ops.hourly-${tick}`, rule: 'ops.hourly' },
    ]);
  });

  it('never reads a timer message for a trigger type that is not a timer', () => {
    expect(parseIntakeMessage({ attune: 1, kind: 'timer', rule: 'r', type: 'core.st2.webhook', scheduledTime: '2026-12-03T03:00:00Z' })).toBeUndefined();
  });
});
