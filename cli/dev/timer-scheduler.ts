import { logFailure, type Log } from '../../engine/logging/index.ts';
import type { EnginePort } from '../../engine/service/index.ts';
import { TIMER_TRIGGERS, nextTick, parseTimer, timerInstanceId, timerPayload, type Timer } from '../../engine/timers/index.ts';

/** How late a tick may still fire: APScheduler's default misfire grace time, which st2's timer keeps. */
export const TIMER_MISFIRE_GRACE_MS = 1000;
/** setTimeout's longest delay; a tick further away is reached in steps. */
const MAX_DELAY_MS = 2_147_483_647;

/** Parameters as text with sorted keys: the store does not promise the order it returns a map's keys in. */
const canonical = (value: unknown): string =>
  value !== null && typeof value === 'object' && !Array.isArray(value)
    ? `{${Object.keys(value)
        .sort()
        .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
        .join(',')}}`
    : JSON.stringify(value);

interface Scheduled {
  ref: string;
  type: string;
  /** Type and parameters: a rule re-registered with the same ones keeps its schedule. */
  key: string;
  timer: Timer;
  /** When an interval timer was scheduled: its ticks fall at anchor + n × interval. */
  anchor: number;
  lastTick: number;
  handle?: NodeJS.Timeout;
}

export interface TimerScheduler {
  /** Re-reads the enabled timer rules and starts, changes or stops their schedules. */
  refresh(): Promise<void>;
  /** The rules scheduled now, with their next tick (epoch ms), for `attune dev`'s status. */
  scheduled(): { rule: string; next?: number }[];
  stop(): Promise<void>;
}

/**
 * What EventBridge Scheduler does on AWS, locally: every enabled timer rule gets its own
 * schedule, and each tick is dispatched to that rule alone with the tick's instance id
 * (`timer-<rule>-<tick ms>`), so a tick dispatched twice runs once. The rules are re-read every
 * `refreshMs` (a registered pack's timer rules start, change or stop within that), and a tick
 * missed by more than the grace time is skipped, as APScheduler skips a misfired run.
 */
export function startTimerScheduler(deps: {
  engine: Pick<EnginePort, 'listRules' | 'dispatchTrigger'>;
  log: Log;
  refreshMs: number;
  now?: () => number;
}): TimerScheduler {
  const now = deps.now ?? Date.now;
  const schedules = new Map<string, Scheduled>();
  const inFlight = new Set<Promise<unknown>>();
  let stopped = false;

  const arm = (s: Scheduled) => {
    const from = Math.max(now(), s.lastTick + 1);
    const tick = nextTick(s.timer, from, s.anchor);
    s.handle = undefined;
    if (tick === undefined || stopped) return;
    const delay = tick - now();
    s.handle = setTimeout(() => (delay > MAX_DELAY_MS ? arm(s) : fire(s, tick)), Math.min(Math.max(delay, 0), MAX_DELAY_MS));
    s.handle.unref?.();
  };

  const fire = (s: Scheduled, tick: number) => {
    const at = now();
    // Timers may wake a little early: wait out the rest rather than fire before the tick.
    if (at < tick) {
      s.handle = setTimeout(() => fire(s, tick), tick - at);
      return;
    }
    s.lastTick = tick;
    arm(s);
    if (at - tick > TIMER_MISFIRE_GRACE_MS) {
      deps.log('warn', 'timer tick missed by more than the grace time; skipped', { rule: s.ref, tick: new Date(tick).toISOString(), lateMs: at - tick });
      return;
    }
    const dispatch = deps.engine
      .dispatchTrigger({ type: s.type, payload: timerPayload(at), instanceId: timerInstanceId(s.ref, tick), rule: s.ref })
      .catch(logFailure(deps.log, 'timer tick not dispatched', { rule: s.ref, tick: new Date(tick).toISOString() }, 'error'))
      .finally(() => inFlight.delete(dispatch));
    inFlight.add(dispatch);
  };

  const drop = (ref: string) => {
    const s = schedules.get(ref);
    if (s?.handle) clearTimeout(s.handle);
    schedules.delete(ref);
  };

  const refresh = async () => {
    const rules = (await deps.engine.listRules()).filter((r) => r.enabled && TIMER_TRIGGERS.includes(r.trigger.type));
    if (stopped) return;
    const seen = new Set<string>();
    for (const rule of rules) {
      const key = `${rule.trigger.type} ${canonical(rule.trigger.parameters ?? {})}`;
      seen.add(rule.ref);
      if (schedules.get(rule.ref)?.key === key) continue;
      drop(rule.ref);
      let timer: Timer;
      try {
        timer = parseTimer(rule.trigger.type, rule.trigger.parameters);
      } catch (err) {
        // Registration checks timers; one registered before that check is reported, not fatal.
        logFailure(deps.log, 'timer rule not scheduled', { rule: rule.ref })(err);
        continue;
      }
      const s: Scheduled = { ref: rule.ref, type: rule.trigger.type, key, timer, anchor: now(), lastTick: -Infinity };
      schedules.set(rule.ref, s);
      arm(s);
      deps.log('info', 'timer rule scheduled', { rule: rule.ref, type: rule.trigger.type });
    }
    for (const ref of [...schedules.keys()]) {
      if (!seen.has(ref)) {
        drop(ref);
        deps.log('info', 'timer rule unscheduled', { rule: ref });
      }
    }
  };

  let refreshing: Promise<void> = Promise.resolve();
  const refreshOnce = () => (refreshing = refreshing.then(refresh).catch(logFailure(deps.log, 'timer rules not re-read; the next pass tries again', {}, 'error')));
  void refreshOnce();
  const interval = setInterval(() => void refreshOnce(), deps.refreshMs);

  return {
    refresh: refreshOnce,
    scheduled: () => [...schedules.values()].map((s) => ({ rule: s.ref, ...(s.handle ? { next: nextTick(s.timer, Math.max(now(), s.lastTick + 1), s.anchor) } : {}) })),
    stop: async () => {
      stopped = true;
      clearInterval(interval);
      for (const ref of [...schedules.keys()]) drop(ref);
      await refreshing;
      await Promise.all([...inFlight]);
    },
  };
}
