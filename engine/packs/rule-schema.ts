import { z } from 'zod';
import { checkCriteria, checkCriterion } from '../rules/index.ts';
import type { Criteria, Criterion } from '../rules/index.ts';
import { OptionalPackSchema, ResourceNameSchema, ResourceRefSchema, optionalMapOf } from './meta-schema.ts';

/**
 * One criterion: an st2 operator, a pattern (but for exists and nexists) of the kind the operator
 * uses, a regex RE2 can run, and for `search` a condition and nested criteria (see checkCriterion).
 */
export const CriterionSchema = z.unknown().transform((criterion, ctx) => {
  for (const issue of checkCriterion(criterion)) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
  return criterion as Criterion;
});

/**
 * `criteria:` — key → criterion, where a key is a path (`trigger.body.items[0].name`, a `#`
 * suffix allowed); YAML's empty value reads as none. Every key and criterion is checked, so one
 * registration reports all of a rule's criteria problems.
 */
const CriteriaSchema = z
  .record(z.string(), z.unknown())
  .nullish()
  .transform((criteria, ctx) => {
    for (const issue of checkCriteria(criteria ?? {})) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
    return (criteria ?? {}) as Criteria;
  });

/** `rules/<name>.yaml`: trigger {type, parameters}, criteria {path: {type, pattern}}, action {ref, parameters}. */
export const RuleSchema = z.looseObject({
  name: ResourceNameSchema,
  pack: OptionalPackSchema,
  description: z.string().optional(),
  enabled: z.boolean().default(true),
  trigger: z.looseObject({
    type: z.string().min(1),
    parameters: optionalMapOf(z.unknown()),
  }),
  criteria: CriteriaSchema,
  action: z.looseObject({
    ref: ResourceRefSchema,
    parameters: optionalMapOf(z.unknown()),
  }),
});

/** A validated rule file. */
export type RuleDefinition = z.output<typeof RuleSchema>;
