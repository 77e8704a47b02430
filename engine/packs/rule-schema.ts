import { z } from 'zod';
import { checkCriteriaKey, checkCriterion } from '../rules/index.ts';
import { OptionalPackSchema, ResourceNameSchema, ResourceRefSchema, optionalMapOf } from './meta-schema.ts';

/**
 * One criterion: an st2 operator, a pattern (but for exists and nexists) of the kind the operator
 * uses, a regex RE2 can run, and for `search` a condition and nested criteria (see checkCriterion).
 */
export const CriterionSchema = z
  .looseObject({ type: z.string().min(1), pattern: z.unknown().optional(), condition: z.unknown().optional() })
  .superRefine((criterion, ctx) => {
    for (const issue of checkCriterion(criterion)) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
  });

/** `criteria:` — key (a path, `#` suffix allowed) → criterion; YAML's empty value reads as none. */
const CriteriaSchema = z
  .record(
    z.string().superRefine((key, ctx) => {
      const problem = checkCriteriaKey(key);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
    CriterionSchema,
  )
  .nullish()
  .transform((m) => m ?? {});

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
