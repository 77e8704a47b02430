import type { Pack, PackIssue } from '../packs/index.ts';
import { isBuiltinTriggerType } from '../triggers/builtin.ts';

/**
 * The issues of rules whose trigger type is neither built in, nor defined by the pack itself, nor
 * registered by another pack. st2 refuses such a rule at registration ("A simple trigger should
 * have been created when registering triggertype"); Attune refuses it whatever its parameters, as
 * a rule on a type nothing defines could never fire. Each unknown type is looked up once.
 */
export async function unknownRuleTriggers(pack: Pack, registered: (ref: string) => Promise<boolean>): Promise<PackIssue[]> {
  const own = new Set(pack.triggerTypes.map((t) => t.ref));
  const known = new Map<string, boolean>();
  const issues: PackIssue[] = [];
  for (const rule of pack.rules) {
    const type = rule.trigger.type;
    if (isBuiltinTriggerType(type) || own.has(type)) continue;
    if (!known.has(type)) known.set(type, await registered(type));
    if (known.get(type) === true) continue;
    issues.push({
      file: rule.file,
      field: 'trigger.type',
      message: `unknown trigger type ${type}: expected a built-in type (core.st2.webhook, core.eventbridge, the core.st2 timers, …) or one a registered pack defines in triggers/*.yaml; register that pack first`,
    });
  }
  return issues;
}
