import { WEBHOOK_TRIGGER, triggerParameterIssues, type Pack, type PackIssue, type Rule, type TriggerType } from '../packs/index.ts';
import { isBuiltinTriggerType } from '../triggers/builtin.ts';
import { WebhookSignatureSchema, sameSignature, type WebhookSignature } from '../triggers/webhook-signature.ts';

/**
 * The issues of rules whose trigger type is neither built in, nor defined by the pack itself, nor
 * registered by another pack. st2 refuses such a rule at registration ("A simple trigger should
 * have been created when registering triggertype"); Attune refuses it whatever its parameters, as
 * a rule on a type nothing defines could never fire. A rule on another pack's type has its trigger
 * parameters checked against that type's `parameters_schema` (the pack's own are checked at load).
 * Each type is looked up once.
 */
export async function unknownRuleTriggers(pack: Pack, registered: (ref: string) => Promise<TriggerType | undefined>): Promise<PackIssue[]> {
  const own = new Set(pack.triggerTypes.map((t) => t.ref));
  const known = new Map<string, TriggerType | undefined>();
  const issues: PackIssue[] = [];
  for (const rule of pack.rules) {
    const type = rule.trigger.type;
    if (isBuiltinTriggerType(type) || own.has(type)) continue;
    if (!known.has(type)) known.set(type, await registered(type));
    const found = known.get(type);
    if (found) {
      issues.push(...triggerParameterIssues(rule.file, rule.trigger.parameters as Record<string, unknown> | undefined, found));
      continue;
    }
    issues.push({
      file: rule.file,
      field: 'trigger.type',
      message: `unknown trigger type ${type}: expected a built-in type (core.st2.webhook, core.eventbridge, the core.st2 timers, …) or one a registered pack defines in triggers/*.yaml; register that pack first`,
    });
  }
  return issues;
}

/** The `signature` a webhook rule declares, parsed (undefined when it declares none). */
export function ruleSignature(rule: Rule): WebhookSignature | undefined {
  const raw = (rule.trigger.parameters as Record<string, unknown> | undefined)?.['signature'];
  if (raw === undefined) return undefined;
  const parsed = WebhookSignatureSchema.safeParse(raw);
  return parsed.success ? parsed.data : undefined;
}

const urlOf = (rule: Rule) => String((rule.trigger.parameters as Record<string, unknown> | undefined)?.['url'] ?? '');

/**
 * A webhook is one URL with one signature check, whichever rules listen on it: rules on the same
 * `url` that declare a `signature` must declare the same one (a rule that declares none takes the
 * webhook's). `others` are the registered webhook rules of other packs.
 */
export function webhookSignatureConflicts(pack: Pack, others: readonly Rule[]): PackIssue[] {
  const issues: PackIssue[] = [];
  const declared = new Map<string, { rule: Rule; signature: WebhookSignature }>();
  for (const rule of others) {
    const signature = ruleSignature(rule);
    if (rule.trigger.type === WEBHOOK_TRIGGER && signature && !declared.has(urlOf(rule))) declared.set(urlOf(rule), { rule, signature });
  }
  for (const rule of pack.rules) {
    const signature = ruleSignature(rule);
    if (rule.trigger.type !== WEBHOOK_TRIGGER || !signature) continue;
    const first = declared.get(urlOf(rule));
    if (!first) {
      declared.set(urlOf(rule), { rule, signature });
      continue;
    }
    if (sameSignature(first.signature, signature)) continue;
    issues.push({
      file: rule.file,
      field: 'trigger.parameters.signature',
      message: `webhook ${JSON.stringify(urlOf(rule))} is already signed differently by rule ${first.rule.ref} (${first.signature.type}, secret ${first.signature.secret}); rules on one webhook share its signature`,
    });
  }
  return issues;
}
