import { scheduleExpression } from './schedule-expression.ts';
import { TIMER_TRIGGERS } from './timer.ts';
import { scheduleName, type TimerScheduleStore } from './timer-schedule-store.ts';

/** What a schedule sync reads of a rule. */
export interface TimerRuleView {
  ref: string;
  enabled: boolean;
  trigger: { type: string; parameters?: unknown };
}

/** What one sync did: schedules written, deleted, and timer rules left unscheduled with why. */
export interface ScheduleSyncResult {
  put: string[];
  deleted: string[];
  unsupported: { rule: string; reason: string }[];
}

/**
 * Brings the schedule group in step with the registry: one schedule per enabled timer rule
 * (created or updated), and every other schedule of the group deleted (a rule removed, disabled,
 * or no longer a timer). A timer Scheduler cannot express is left unscheduled and reported; so is
 * one whose parameters no longer parse (registration refuses those, so only an old record can).
 */
export async function syncTimerSchedules(store: Pick<TimerScheduleStore, 'put' | 'names' | 'deleteByName'>, rules: readonly TimerRuleView[]): Promise<ScheduleSyncResult> {
  const result: ScheduleSyncResult = { put: [], deleted: [], unsupported: [] };
  const wanted = new Set<string>();
  for (const rule of rules) {
    if (!rule.enabled || !TIMER_TRIGGERS.includes(rule.trigger.type)) continue;
    let expression;
    try {
      expression = scheduleExpression(rule.trigger.type, rule.trigger.parameters);
    } catch (err) {
      result.unsupported.push({ rule: rule.ref, reason: (err as Error).message });
      continue;
    }
    if ('unsupported' in expression) {
      result.unsupported.push({ rule: rule.ref, reason: expression.unsupported });
      continue;
    }
    await store.put({ rule: rule.ref, triggerType: rule.trigger.type, ...expression });
    wanted.add(scheduleName(rule.ref));
    result.put.push(rule.ref);
  }
  for (const name of await store.names()) {
    if (wanted.has(name)) continue;
    await store.deleteByName(name);
    result.deleted.push(name);
  }
  return result;
}
