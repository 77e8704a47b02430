import { createHash } from 'node:crypto';
import type { Log } from '../logging/index.ts';
import type { Execution } from '../executions/index.ts';
import { EVENTBRIDGE_TRIGGER, SECRET_MASK, WEBHOOK_TRIGGER, maskSecrets, secretParameterNames, type ParameterizedAction, type Rule } from '../packs/index.ts';
import { matchCriteria, matchEventPattern, renderParameters, type RenderExtras } from '../rules/index.ts';
import { Masker } from '../secrets/index.ts';
import { secretValuesOf } from '../secrets/masker.ts';

/** A rule that matched a trigger instance, with its rendered parameters (or why rendering failed). */
export interface RuleMatch {
  rule: Rule;
  executionId: string;
  parameters?: Record<string, unknown>;
  error?: string;
}

/** Deterministic execution id per (rule, trigger instance): dispatching twice creates nothing new. */
export function executionIdFor(rule: string, triggerInstance: string): string {
  const h = createHash('sha256').update(`${rule}\n${triggerInstance}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Whether a rule's trigger parameters select this payload (webhook name, EventBridge pattern). */
function triggerSelects(rule: Rule, payload: unknown): boolean {
  const params = (rule.trigger.parameters ?? {}) as Record<string, unknown>;
  if (rule.trigger.type === WEBHOOK_TRIGGER) return (payload as { url?: unknown })?.url === params.url;
  if (rule.trigger.type === EVENTBRIDGE_TRIGGER) return matchEventPattern(params, payload);
  return true;
}

/** The enabled rules of a trigger type that select this payload and whose criteria match it. */
export function matchRules(rules: readonly Rule[], payload: unknown, log?: Log): Rule[] {
  const context = { trigger: payload };
  return rules.filter(
    (rule) =>
      rule.enabled !== false && triggerSelects(rule, payload) && matchCriteria(rule.criteria ?? {}, context, { rule: rule.ref, ...(log ? { log } : {}) }).matched,
  );
}

/**
 * Renders the parameters of rules that matched. `extras` carries what the templates read beyond
 * the payload (the `st2kv` keys, read before rendering: see engine/datastore's kvRenderOptions).
 */
export function renderMatches(matched: readonly Rule[], triggerInstance: string, payload: unknown, extras: RenderExtras = {}): RuleMatch[] {
  const context = { trigger: payload };
  return matched.map((rule) => {
    const executionId = executionIdFor(rule.ref, triggerInstance);
    try {
      return { rule, executionId, parameters: renderParameters((rule.action.parameters ?? {}) as Record<string, unknown>, context, extras) };
    } catch (err) {
      return { rule, executionId, error: `rule ${rule.ref}: ${(err as Error).message}` };
    }
  });
}

/** Evaluates every enabled rule of a trigger type against one payload (templates see no datastore). */
export function evaluateRules(rules: readonly Rule[], triggerInstance: string, payload: unknown, log?: Log): RuleMatch[] {
  return renderMatches(matchRules(rules, payload, log), triggerInstance, payload);
}

/**
 * The failed execution a matched rule leaves when its action is unknown or disabled, or its
 * parameters do not render or validate: a visible record instead of silence. Secret parameters
 * are stored as the mask and their values masked out of the error text; when the action is
 * unknown nothing tells which parameters are secret, so every value is masked.
 */
export function failedRuleExecution(
  match: RuleMatch,
  triggerInstance: string,
  action: Pick<ParameterizedAction, 'parameters'> | undefined,
  error: unknown,
  now = new Date(),
): Execution {
  const rendered = match.parameters ?? {};
  const parameters = action ? maskSecrets(action, rendered) : Object.fromEntries(Object.keys(rendered).map((k) => [k, SECRET_MASK]));
  const secretNames = action ? secretParameterNames(action) : Object.keys(rendered);
  const masker = Masker.fromSecrets(secretNames.flatMap((name) => secretValuesOf(rendered[name])));
  const at = now.toISOString();
  return {
    id: match.executionId,
    action: match.rule.action.ref,
    status: 'failed',
    parameters,
    rule: match.rule.ref,
    triggerInstance,
    policyKey: match.rule.action.ref,
    limit: null,
    onLimit: 'delay',
    attempt: 1,
    createdAt: at,
    endedAt: at,
    listKey: 'execution',
    error: masker.maskText(error instanceof Error ? error.message : String(error)),
  };
}
