import { kvRenderOptions } from '../datastore/index.ts';
import { EVENTBRIDGE_TRIGGER, WEBHOOK_TRIGGER, maskSecrets, type Rule } from '../packs/index.ts';
import { matchCriteria, matchEventPattern } from '../rules/index.ts';
import type { Stores } from '../stores/index.ts';
import { UnknownRule } from '../triggers/index.ts';
import type { RuleTestView } from '../wire/index.ts';
import { renderMatches } from './dispatch.ts';

/** Whether the rule's trigger parameters select this payload, as a dispatch decides it. */
function selects(rule: Rule, payload: unknown): boolean {
  const params = (rule.trigger.parameters ?? {}) as Record<string, unknown>;
  if (rule.trigger.type === WEBHOOK_TRIGGER) return (payload as { url?: unknown } | null)?.url === params.url;
  if (rule.trigger.type === EVENTBRIDGE_TRIGGER) return matchEventPattern(params, payload);
  return true;
}

/**
 * st2-rule-tester: whether a rule matches a trigger payload and the parameters it would give its
 * action, evaluated as a dispatch evaluates it (trigger parameters, criteria, templates with the
 * datastore keys they name). Nothing is stored, queued or run; secret action parameters answer
 * masked. A disabled rule is tested all the same, and says so.
 *
 * @throws UnknownRule (404).
 */
export async function testRule(stores: Pick<Stores, 'registry' | 'keyValues'>, ref: string, payload: unknown): Promise<RuleTestView> {
  const rule = await stores.registry.getRule(ref);
  if (!rule) throw new UnknownRule(ref);
  const base = { rule: rule.ref, trigger: rule.trigger.type, action: rule.action.ref, enabled: rule.enabled !== false };
  if (!selects(rule, payload)) return { ...base, matched: false, reason: 'trigger' };
  const criteria = matchCriteria(rule.criteria ?? {}, { trigger: payload });
  if (!criteria.matched) {
    const f = criteria.failed;
    return { ...base, matched: false, reason: 'criteria', ...(f ? { failed: { path: f.path, type: f.type, pattern: f.pattern ?? null, value: f.value ?? null, ...(f.error ? { error: f.error.message } : {}) } } : {}) };
  }
  const parameters = (rule.action.parameters ?? {}) as Record<string, unknown>;
  const kv = await kvRenderOptions(stores.keyValues, [parameters]);
  const [match] = renderMatches([rule], 'rule-test', payload, kv);
  if (!match?.parameters) return { ...base, matched: true, error: match?.error ?? 'parameters did not render' };
  const action = await stores.registry.getAction(rule.action.ref);
  return { ...base, matched: true, parameters: action ? maskSecrets(action, match.parameters) : match.parameters };
}
