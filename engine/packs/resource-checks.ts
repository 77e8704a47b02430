import { checkEventPattern, findTemplateErrors } from '../rules/index.ts';
import { InvalidTimer, TIMER_TRIGGERS, parseTimer } from '../timers/index.ts';
import type { PackIssue } from './errors.ts';
import type { PolicyDefinition } from './policy-schema.ts';
import type { RuleDefinition } from './rule-schema.ts';
import type { Action } from './types.ts';

/** Trigger types whose parameters Attune interprets, with what it requires of them. */
export const WEBHOOK_TRIGGER = 'core.st2.webhook';
export const EVENTBRIDGE_TRIGGER = 'core.eventbridge';

const join = (prefix: string, path: string) => (path === '' ? prefix : `${prefix}.${path}`);

/**
 * Checks what a rule's schema cannot: templates compile, the action exists when it is in the same
 * pack (other packs are checked at registration), and the trigger parameters suit the trigger.
 */
export function checkRule(file: string, rule: RuleDefinition, packRef: string, actions: ReadonlyMap<string, Action>): PackIssue[] {
  const issues: PackIssue[] = [];
  for (const t of findTemplateErrors(rule.action.parameters)) {
    issues.push({ file, field: join('action.parameters', t.parameter), message: t.message });
  }
  for (const [path, criterion] of Object.entries(rule.criteria)) {
    for (const t of findTemplateErrors(criterion.pattern)) {
      issues.push({ file, field: join(`criteria.${path}.pattern`, t.parameter), message: t.message });
    }
  }
  if (rule.action.ref.startsWith(`${packRef}.`) && !actions.has(rule.action.ref)) {
    issues.push({ file, field: 'action.ref', message: `no action ${rule.action.ref} in this pack` });
  }
  if (rule.trigger.type === WEBHOOK_TRIGGER) {
    const url = rule.trigger.parameters['url'];
    if (typeof url !== 'string' || !/^[A-Za-z0-9_][A-Za-z0-9_./-]*$/.test(url)) {
      issues.push({ file, field: 'trigger.parameters.url', message: 'expected the webhook name, e.g. "greet" for POST /v1/webhooks/greet' });
    }
  }
  if (rule.trigger.type === EVENTBRIDGE_TRIGGER) {
    for (const p of checkEventPattern(rule.trigger.parameters)) {
      issues.push({ file, field: join('trigger.parameters', p.path), message: p.message });
    }
  }
  if (TIMER_TRIGGERS.includes(rule.trigger.type)) {
    try {
      parseTimer(rule.trigger.type, rule.trigger.parameters);
    } catch (err) {
      if (!(err instanceof InvalidTimer)) throw err;
      issues.push({ file, field: join('trigger.parameters', err.field ?? ''), message: err.message });
    }
  }
  return issues;
}

/** Checks a policy against the pack: its action exists (same pack) and attributes name its parameters. */
export function checkPolicy(file: string, policy: PolicyDefinition, packRef: string, actions: ReadonlyMap<string, Action>): PackIssue[] {
  if (!policy.resource_ref.startsWith(`${packRef}.`)) return [];
  const action = actions.get(policy.resource_ref);
  if (!action) return [{ file, field: 'resource_ref', message: `no action ${policy.resource_ref} in this pack` }];
  if (policy.policy_type !== 'action.concurrency.attr') return [];
  return policy.parameters.attributes
    .map((name, i) => ({ name, i }))
    .filter(({ name }) => !Object.hasOwn(action.parameters, name))
    .map(({ name, i }) => ({
      file,
      field: `parameters.attributes.${i}`,
      message: `${JSON.stringify(name)} is not a parameter of ${action.ref} (expected one of ${Object.keys(action.parameters).join(', ') || 'none'})`,
    }));
}
