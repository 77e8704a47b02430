/**
 * Trigger types every Attune has, whatever packs are registered: st2's system trigger types
 * (`core.st2.*`, so rules written for st2 on them register unchanged) and Attune's own
 * `core.eventbridge`. A rule on any other type needs a registered pack defining it.
 */
export const BUILTIN_TRIGGER_TYPES: readonly string[] = [
  'core.st2.webhook',
  'core.eventbridge',
  'core.st2.IntervalTimer',
  'core.st2.DateTimer',
  'core.st2.CronTimer',
  'core.st2.generic.actiontrigger',
  'core.st2.generic.notifytrigger',
  'core.st2.generic.inquiry',
  'core.st2.action.file_written',
  'core.st2.sensor.process_spawn',
  'core.st2.sensor.process_exit',
  'core.st2.key_value_pair.create',
  'core.st2.key_value_pair.update',
  'core.st2.key_value_pair.value_change',
  'core.st2.key_value_pair.delete',
];

/** Whether a trigger type is built in (needs no pack). */
export function isBuiltinTriggerType(type: string): boolean {
  return BUILTIN_TRIGGER_TYPES.includes(type);
}
