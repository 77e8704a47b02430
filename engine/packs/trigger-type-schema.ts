import { z } from 'zod';
import { checkTriggerSchema } from '../triggers/schema-check.ts';
import { OptionalPackSchema, ResourceNameSchema } from './meta-schema.ts';

/** A schema document checked for size, depth, types, patterns and `$ref`s (see checkTriggerSchema). */
const BoundedSchema = z
  .record(z.string(), z.unknown(), { error: 'expected a JSON schema (a mapping)' })
  .nullish()
  .transform((schema, ctx) => {
    for (const issue of checkTriggerSchema(schema)) ctx.addIssue({ code: 'custom', path: issue.path === '' ? [] : issue.path.split('.'), message: issue.message });
    return schema ?? {};
  });

/**
 * `triggers/<name>.yaml`, st2's TriggerTypeAPI fields: name, pack, description, payload_schema,
 * parameters_schema, tags. Also each entry of a sensor's `trigger_types:` list.
 */
export const TriggerTypeSchema = z.looseObject({
  name: ResourceNameSchema,
  pack: OptionalPackSchema,
  description: z.string().nullish(),
  payload_schema: BoundedSchema,
  parameters_schema: BoundedSchema,
  tags: z.array(z.unknown()).nullish(),
});

/** A validated trigger type file. */
export type TriggerTypeDefinition = z.output<typeof TriggerTypeSchema>;

/** `sensors/<name>.yaml`: only what declares trigger types is read here; the rest is the sensor's. */
export const SensorTriggerTypesSchema = z.looseObject({
  trigger_types: z.array(z.unknown()).nullish(),
});
