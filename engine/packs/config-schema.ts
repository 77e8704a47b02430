import { z } from 'zod';
import { describeValue } from '../rules/index.ts';
import { PARAMETER_TYPES, matchesType } from './action-schema.ts';
import type { ParameterType } from './action-schema.ts';

/** The file a pack declares its config in, as st2 names it. */
export const CONFIG_SCHEMA_FILE = 'config.schema.yaml';

/** One item of a pack's config schema: a JSON Schema fragment with st2's `required` and `secret` flags. */
export interface ConfigItem {
  type?: ParameterType | ParameterType[];
  description?: string;
  default?: unknown;
  required?: boolean;
  secret?: boolean;
  enum?: unknown[];
  properties?: Record<string, ConfigItem>;
  additionalProperties?: boolean | ConfigItem;
  items?: ConfigItem | ConfigItem[];
  [extra: string]: unknown;
}

/** A pack's config schema: top-level key → item, as `config.schema.yaml` holds it. */
export type ConfigSchema = Record<string, ConfigItem>;

const TypeSchema = z.union([z.enum(PARAMETER_TYPES), z.array(z.enum(PARAMETER_TYPES)).min(1)], {
  error: (issue) => `expected one of ${PARAMETER_TYPES.join(', ')} (or a list of them), received ${describeValue(issue.input)}`,
});

/** The declared types of an item, as a list (none when it declares no type). */
export function typesOf(item: ConfigItem): ParameterType[] {
  if (item.type === undefined) return [];
  return Array.isArray(item.type) ? item.type : [item.type];
}

// st2 renders `{{ st2kv.… }}` in config values when an action runs: their type is only known then.
const isTemplate = (v: unknown) => typeof v === 'string' && /\{\{|\{%/.test(v);

/** True when `value` may stand where `item` is declared: of one of its types, or a template. */
export function matchesItemType(item: ConfigItem, value: unknown): boolean {
  const types = typesOf(item);
  return types.length === 0 || isTemplate(value) || types.some((t) => matchesType(value, t));
}

const CONFIG_KEY = /^\w+$/;

/** Zod for one item; nested `properties`, `additionalProperties` and `items` are items too. */
export const ConfigItemSchema: z.ZodType<ConfigItem> = z.lazy(() =>
  z
    .looseObject({
      type: TypeSchema.optional(),
      description: z.string().optional(),
      default: z.unknown().optional(),
      required: z.boolean().optional(),
      secret: z.boolean().optional(),
      enum: z.array(z.unknown()).min(1).optional(),
      properties: z.record(z.string(), ConfigItemSchema).optional(),
      additionalProperties: z.union([z.boolean(), ConfigItemSchema]).optional(),
      items: z.union([ConfigItemSchema, z.array(ConfigItemSchema)]).optional(),
    })
    .superRefine((item, ctx) => {
      // A default of null is allowed whatever the type, as st2 allows it (allow_default_none).
      if (item.default !== undefined && item.default !== null && !matchesItemType(item, item.default)) {
        const expected = typesOf(item).join(' or ');
        ctx.addIssue({ code: 'custom', path: ['default'], message: `expected ${expected}, received ${item.secret ? typeof item.default : describeValue(item.default)}` });
      }
    }),
);

/**
 * `config.schema.yaml`: keys are word characters (st2's `^\w+$`), each an item. An empty file is
 * an empty schema.
 */
export const ConfigSchemaFileSchema = z
  .record(z.string().regex(CONFIG_KEY, 'a config key is letters, digits and underscores'), ConfigItemSchema)
  .nullable()
  .transform((v): ConfigSchema => v ?? {});
