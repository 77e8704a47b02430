import { z } from 'zod';
import { OptionalPackSchema, ResourceNameSchema, ResourceRefSchema } from './meta-schema.ts';

/** Policy types Attune enforces (StackStorm names). */
export const POLICY_TYPES = ['action.concurrency', 'action.concurrency.attr', 'action.retry'] as const;
export type PolicyType = (typeof POLICY_TYPES)[number];

/** What to do with an execution over the threshold: wait for a slot, or cancel it. */
const OverflowAction = z.enum(['delay', 'cancel']).default('delay');

// Parameters are strict: a misspelt key would otherwise be ignored and the policy silently weaker.
/** `action.concurrency`: at most `threshold` executions of the action run at once. */
export const ConcurrencyParametersSchema = z.strictObject({
  threshold: z.int().min(1),
  action: OverflowAction,
});

/** `action.concurrency.attr`: at most `threshold` per distinct values of `attributes` (parameter names). */
export const ConcurrencyAttrParametersSchema = z.strictObject({
  threshold: z.int().min(1),
  attributes: z.array(z.string().min(1)).min(1),
  action: OverflowAction,
});

/** `action.retry`: re-run on `retry_on` up to `max_retry_count` times (st2 default 2), `delay` seconds apart. */
export const RetryParametersSchema = z.strictObject({
  retry_on: z.enum(['failure', 'timeout']),
  max_retry_count: z.int().min(0).default(2),
  delay: z.number().min(0).default(0),
});

const base = {
  name: ResourceNameSchema,
  pack: OptionalPackSchema,
  description: z.string().optional(),
  resource_ref: ResourceRefSchema,
  enabled: z.boolean().default(true),
};

/** `policies/<name>.yaml`, parameters validated according to `policy_type`. */
export const PolicySchema = z.discriminatedUnion('policy_type', [
  z.looseObject({ ...base, policy_type: z.literal('action.concurrency'), parameters: ConcurrencyParametersSchema }),
  z.looseObject({ ...base, policy_type: z.literal('action.concurrency.attr'), parameters: ConcurrencyAttrParametersSchema }),
  z.looseObject({ ...base, policy_type: z.literal('action.retry'), parameters: RetryParametersSchema }),
]);

/** A validated policy file, discriminated on `policy_type`. */
export type PolicyDefinition = z.output<typeof PolicySchema>;
