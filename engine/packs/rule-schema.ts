import { z } from 'zod';
import { OPERATOR_NAMES, getOperator } from '../rules/index.ts';
import { OptionalPackSchema, ResourceNameSchema, ResourceRefSchema, optionalMapOf } from './meta-schema.ts';


/** One criterion: an st2 operator and, unless it is `exists`/`nexists`, a pattern. */
export const CriterionSchema = z.looseObject({ type: z.string().min(1), pattern: z.unknown().optional() }).superRefine((c, ctx) => {
  const operator = getOperator(c.type);
  if (!operator) {
    ctx.addIssue({ code: 'custom', path: ['type'], message: `unknown operator "${c.type}" (expected one of ${OPERATOR_NAMES.join(', ')})` });
  } else if (operator.needsPattern && c.pattern === undefined) {
    ctx.addIssue({ code: 'custom', path: ['pattern'], message: `required by operator ${c.type}` });
  }
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
  criteria: optionalMapOf(CriterionSchema),
  action: z.looseObject({
    ref: ResourceRefSchema,
    parameters: optionalMapOf(z.unknown()),
  }),
});

/** A validated rule file. */
export type RuleDefinition = z.output<typeof RuleSchema>;
