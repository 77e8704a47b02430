import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startTimerScheduler, type TimerScheduler } from '../../../cli/dev/index.ts';
import type { Log } from '../../../engine/logging/index.ts';
import type { DispatchResult, RuleSummary } from '../../../engine/service/index.ts';

/**
 * The local scheduler against an engine port that keeps its rules in memory and records the
 * dispatches, on a fake clock: the scheduling decisions, not the stores, are under test here
 * (test/integration/timers.test.ts runs it on the real local stack).
 */
interface Dispatched {
  type: string;
  payload: unknown;
  instanceId?: string;
  rule?: string;
}

const timerRule = (ref: string, type: string, parameters: Record<string, unknown>, enabled = true): RuleSummary => ({
  ref,
  pack: 'p',
  enabled,
  trigger: { type, parameters },
  action: { ref: 'core.noop' },
});

let rules: RuleSummary[];
let dispatched: Dispatched[];
let logged: { level: string; message: string }[];
let scheduler: TimerScheduler;

const log: Log = (level, message) => void logged.push({ level, message });
const engine = {
  listRules: async () => rules,
  dispatchTrigger: async (t: Dispatched): Promise<DispatchResult> => {
    dispatched.push(t);
    return { triggerInstance: t.instanceId ?? '', executions: [] };
  },
};

beforeEach(() => {
  vi.useFakeTimers({ now: Date.parse('2026-03-08T06:59:58.500Z') });
  rules = [];
  dispatched = [];
  logged = [];
});

afterEach(async () => {
  await scheduler?.stop();
  vi.useRealTimers();
});

describe('the local timer scheduler', () => {
  it('dispatches each tick of an interval timer to its rule alone, under the tick instance id', async () => {
    // Prepare
    const start = Date.now();
    rules = [timerRule('p.every', 'core.st2.IntervalTimer', { unit: 'seconds', delta: 1 }), timerRule('p.hook', 'core.st2.webhook', { url: 'x' })];
    scheduler = startTimerScheduler({ engine, log, refreshMs: 60_000 });
    // Act
    await vi.advanceTimersByTimeAsync(3_500);
    // Assess
    expect(dispatched.map((d) => d.instanceId)).toEqual([1, 2, 3].map((n) => `timer-p.every-${start + n * 1000}`));
    expect(dispatched.every((d) => d.rule === 'p.every' && d.type === 'core.st2.IntervalTimer')).toBe(true);
    expect(dispatched[0]!.payload).toEqual({ executed_at: '2026-03-08 06:59:59.500000+00:00', schedule: null });
  });

  it('fires a New York cron timer at 03:00 EDT on the night 02:00 does not exist', async () => {
    // Prepare: 01:59:58.5 EST, one and a half seconds before the clocks jump.
    rules = [timerRule('p.hourly', 'core.st2.CronTimer', { timezone: 'America/New_York', minute: 0 })];
    scheduler = startTimerScheduler({ engine, log, refreshMs: 60_000 });
    // Act
    await vi.advanceTimersByTimeAsync(2_000);
    // Assess
    expect(dispatched.map((d) => d.instanceId)).toEqual([`timer-p.hourly-${Date.parse('2026-03-08T07:00:00Z')}`]);
  });

  it('reschedules a rule whose parameters change and stops one that is removed or disabled', async () => {
    // Prepare
    rules = [timerRule('p.a', 'core.st2.IntervalTimer', { unit: 'seconds', delta: 1 }), timerRule('p.b', 'core.st2.IntervalTimer', { unit: 'seconds', delta: 1 })];
    scheduler = startTimerScheduler({ engine, log, refreshMs: 500 });
    await vi.advanceTimersByTimeAsync(1_200);
    const before = dispatched.length;
    // Act: a becomes every 5 seconds, b is disabled.
    rules = [timerRule('p.a', 'core.st2.IntervalTimer', { unit: 'seconds', delta: 5 }), timerRule('p.b', 'core.st2.IntervalTimer', { unit: 'seconds', delta: 1 }, false)];
    await scheduler.refresh();
    const changedAt = Date.now();
    await vi.advanceTimersByTimeAsync(5_100);
    // Assess
    expect(before).toBe(2);
    const after = dispatched.slice(before);
    expect(after.map((d) => d.instanceId)).toEqual([`timer-p.a-${changedAt + 5000}`]);
    expect(scheduler.scheduled().map((s) => s.rule)).toEqual(['p.a']);
  });

  it('fires a date timer once and then holds no schedule for it', async () => {
    // Prepare
    rules = [timerRule('p.once', 'core.st2.DateTimer', { date: '2026-03-08T07:00:00Z' })];
    scheduler = startTimerScheduler({ engine, log, refreshMs: 300 });
    // Act: the rules are re-read several times around and after the date.
    await vi.advanceTimersByTimeAsync(4_000);
    // Assess
    expect(dispatched.map((d) => d.instanceId)).toEqual([`timer-p.once-${Date.parse('2026-03-08T07:00:00Z')}`]);
    expect(scheduler.scheduled()).toEqual([{ rule: 'p.once' }]);
  });

  it('reports a timer rule it cannot parse and schedules the others', async () => {
    // Prepare
    rules = [timerRule('p.bad', 'core.st2.CronTimer', { minute: '*/0' }), timerRule('p.good', 'core.st2.IntervalTimer', { unit: 'seconds', delta: 1 })];
    // Act
    scheduler = startTimerScheduler({ engine, log, refreshMs: 60_000 });
    await vi.advanceTimersByTimeAsync(1_100);
    // Assess
    expect(logged).toContainEqual({ level: 'warn', message: 'timer rule not scheduled' });
    expect(dispatched.map((d) => d.rule)).toEqual(['p.good']);
  });
});

describe('the local timer scheduler on re-reading', () => {
  it('keeps an interval schedule when the same parameters come back in another key order', async () => {
    // Prepare
    const start = Date.now();
    rules = [timerRule('p.a', 'core.st2.IntervalTimer', { unit: 'seconds', delta: 2 })];
    scheduler = startTimerScheduler({ engine, log, refreshMs: 700 });
    await vi.advanceTimersByTimeAsync(1_000);
    // Act
    rules = [timerRule('p.a', 'core.st2.IntervalTimer', { delta: 2, unit: 'seconds' })];
    await vi.advanceTimersByTimeAsync(3_500);
    // Assess: still anchored where it started.
    expect(dispatched.map((d) => d.instanceId)).toEqual([`timer-p.a-${start + 2000}`, `timer-p.a-${start + 4000}`]);
  });
});
