import { z } from 'zod';
import type { KeyView, SealingKeyRotationView, SecretList, SecretWriteView, SensorList, SensorView } from '../../../engine/wire/index.ts';
import type { ExecutionPage, ExecutionRef, ExecutionView, InquiryList, InquiryView, KeyList } from '../../../engine/wire/index.ts';
import type { RuleTestView, TriggerInstancePage, TriggerInstanceView, TriggerTypeView } from '../../../engine/wire/index.ts';
import type { ActionSummary, DispatchResult, PackSummary, QueueKeyStats, RuleSummary } from '../../../engine/service/port.ts';
import { ExecutionStatusSchema } from '../../../engine/executions/index.ts';

// The answers' shapes as zod, for the document only: the API shapes answers with the wire's
// TypeScript types. `SchemaDriftChecks` below fails the type check when the two part.

/** `{status: "ok"}`. */
export const HealthSchema = z.object({ status: z.literal('ok') });

/** Bytes stored of one log stream, and whether the limit cut it. */
export const LogViewSchema = z.object({ bytes: z.number().int().min(0), truncated: z.boolean() });

const TaskRefSchema = z.object({ id: z.string(), route: z.number().int(), item: z.number().int().nullable() });

/** An execution as the API answers it (secret parameters masked). */
export const ExecutionViewSchema = z.object({
  id: z.string(),
  action: z.string().describe('the action ref, `pack.name`'),
  status: ExecutionStatusSchema,
  parameters: z.record(z.string(), z.unknown()).describe('as requested; secret parameters are `********`'),
  result: z.unknown().describe('the action result (null until it ends); a workflow’s output under `output`'),
  error: z.string().nullable(),
  exitCode: z.number().int().nullable(),
  createdAt: z.string(),
  enqueuedAt: z.string().nullable(),
  startedAt: z.string().nullable(),
  endedAt: z.string().nullable(),
  log: z.object({ stdout: LogViewSchema, stderr: LogViewSchema }),
  rule: z.string().optional(),
  triggerInstance: z.string().optional(),
  rerunOf: z.string().optional(),
  parent: z.string().optional().describe('the workflow execution this task execution belongs to'),
  task: TaskRefSchema.optional(),
  workflow: z.string().optional().describe('the workflow runner (`orquesta`, `action-chain`)'),
});

/** `{id, status}` of a new execution. */
export const ExecutionRefSchema = z.object({ id: z.string(), status: ExecutionStatusSchema });

/** A page of executions, newest first; `cursor` asks for the next (null at the end). */
export const ExecutionPageSchema = z.object({ items: z.array(ExecutionViewSchema), cursor: z.string().nullable() });

/** A workflow's task executions in the order they started. */
export const ExecutionListSchema = z.object({ items: z.array(ExecutionViewSchema) });

/** A pending (or answered) inquiry. */
export const InquiryViewSchema = z.object({
  id: z.string(),
  status: z.string(),
  schema: z.unknown(),
  route: z.string(),
  ttl: z.number(),
  roles: z.array(z.unknown()),
  users: z.array(z.unknown()),
  expiresAt: z.string().nullable(),
  createdAt: z.string(),
  parent: z.string().optional(),
  task: TaskRefSchema.optional(),
  response: z.unknown().optional(),
});

/** The inquiries waiting for a response. */
export const InquiryListSchema = z.object({ items: z.array(InquiryViewSchema) });

/** A datastore key; a secret value is `********` unless decrypted. */
export const KeyViewSchema = z.object({
  name: z.string(),
  scope: z.enum(['system', 'user']),
  user: z.string().optional(),
  value: z.string(),
  secret: z.boolean(),
  expireTimestamp: z.string().optional(),
  updatedAt: z.string(),
});

/** Datastore keys by name. */
export const KeyListSchema = z.object({ items: z.array(KeyViewSchema) });

/** Where a secret was stored; never its value. */
export const SecretWriteViewSchema = z.object({ name: z.string(), secretId: z.string(), created: z.boolean() });

/** A sealing key rotation: key ids only. */
export const SealingKeyRotationViewSchema = z.object({ previousKeyId: z.string(), keyId: z.string(), retained: z.array(z.string()) });

/** The operator's secret names. */
export const SecretListSchema = z.object({ items: z.array(z.string()) });

/** What an intake answers: the stored trigger instance and the executions its rules made. */
export const DispatchResultSchema = z.object({
  triggerInstance: z.string(),
  executions: z.array(z.string()),
  duplicate: z.boolean().optional().describe('set when this delivery was accepted before: the first delivery’s instance, nothing new started'),
});

/** A re-emitted trigger instance: the new instance, its executions, and the one it repeats. */
export const ReEmitResultSchema = DispatchResultSchema.extend({ reEmitOf: z.string() });

/** A trigger type; a built-in one carries empty schemas. */
export const TriggerTypeViewSchema = z.object({
  ref: z.string(),
  pack: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  payloadSchema: z.record(z.string(), z.unknown()),
  parametersSchema: z.record(z.string(), z.unknown()),
  builtin: z.boolean(),
});

/** Trigger types. */
export const TriggerTypeListSchema = z.object({ items: z.array(TriggerTypeViewSchema) });

/** A stored trigger instance. */
export const TriggerInstanceViewSchema = z.object({
  id: z.string(),
  trigger: z.string(),
  payload: z.unknown(),
  createdAt: z.string(),
  reEmitOf: z.string().optional(),
});

/** A page of trigger instances, newest first. */
export const TriggerInstancePageSchema = z.object({ items: z.array(TriggerInstanceViewSchema), cursor: z.string().nullable() });

/** The rule tester's verdict. */
export const RuleTestViewSchema = z.object({
  rule: z.string(),
  trigger: z.string(),
  matched: z.boolean(),
  enabled: z.boolean(),
  reason: z.enum(['trigger', 'criteria']).optional(),
  failed: z.object({ path: z.string(), type: z.string(), pattern: z.unknown(), value: z.unknown(), error: z.string().optional() }).optional(),
  action: z.string(),
  parameters: z.record(z.string(), z.unknown()).optional(),
  error: z.string().optional(),
});

/** A registered pack and its pack environment's state. */
export const PackSummarySchema = z.object({
  ref: z.string(),
  name: z.string(),
  version: z.string(),
  description: z.string(),
  digest: z.string(),
  actions: z.array(z.string()),
  rules: z.array(z.string()),
  policies: z.array(z.string()),
  registeredAt: z.string(),
  environment: z.object({ state: z.enum(['pending', 'ready', 'failed']), key: z.string().optional(), error: z.string().optional(), at: z.string().optional() }),
});

/** Registered packs. */
export const PackListSchema = z.object({ items: z.array(PackSummarySchema) });

/** A registered action; `parameters` is its st2 parameter schema. */
export const ActionSummarySchema = z.object({
  ref: z.string(),
  pack: z.string(),
  runnerType: z.string(),
  description: z.string().optional(),
  enabled: z.boolean(),
  parameters: z.record(z.string(), z.unknown()),
  unsupported: z.string().optional().describe('why this action cannot run here, when it cannot'),
});

/** Registered actions. */
export const ActionListSchema = z.object({ items: z.array(ActionSummarySchema) });

/** A registered rule. */
export const RuleSummarySchema = z.object({
  ref: z.string(),
  pack: z.string(),
  enabled: z.boolean(),
  trigger: z.object({ type: z.string(), parameters: z.record(z.string(), z.unknown()).optional() }),
  action: z.object({ ref: z.string() }),
});

/** Registered rules. */
export const RuleListSchema = z.object({ items: z.array(RuleSummarySchema) });

/** One policy key of an action's queue. */
export const QueueKeyStatsSchema = z.object({
  action: z.string().optional().describe('the action whose policy key this is (in the list of every queue)'),
  key: z.string(),
  limit: z.number().int().nullable(),
  running: z.number().int(),
  waiting: z.number().int(),
  oldestWaitingAt: z.string().nullable().optional().describe('when the oldest waiting execution was requested; null when none waits'),
});

/** Every queue with work: `GET /v1/queues`. */
export const QueueListSchema = z.object({ items: z.array(QueueKeyStatsSchema) });

/** A sensor with its state as its host stores it. */
export const SensorViewSchema = z.object({
  ref: z.string(),
  pack: z.string(),
  name: z.string(),
  className: z.string(),
  entryPoint: z.string(),
  description: z.string(),
  enabled: z.boolean(),
  pollInterval: z.number().optional(),
  triggerTypes: z.array(z.string()),
  status: z.enum(['pending', 'running', 'backing-off', 'failed', 'disabled', 'stopped']),
  host: z.string().optional(),
  restarts: z.number().int(),
  lastError: z.string().optional(),
  lastDispatchAt: z.string().optional(),
  updatedAt: z.string().optional(),
});

/** Every registered sensor. */
export const SensorListSchema = z.object({ items: z.array(SensorViewSchema) });

/** Readiness: each dependency's answer. */
export const ReadinessSchema = z.object({ status: z.enum(['ready', 'unavailable']), dependencies: z.record(z.string(), z.string()) });

/** An action's queue, per policy key. */
export const QueueStatsSchema = z.object({ action: z.string(), keys: z.array(QueueKeyStatsSchema) });

/** Every error answer: `{error:{code, message, field?, issues?}}`. */
export const ErrorEnvelopeSchema = z.object({
  error: z.object({
    code: z.string().describe('stable, for programs to branch on'),
    message: z.string().describe('for people; never a request body or a server path'),
    field: z.string().optional().describe('the request field at fault, dotted (`parameters.count`)'),
    issues: z.array(z.unknown()).optional().describe('every problem found, when there are several (an invalid pack)'),
  }),
});

// Identity, not mutual assignability: two objects that differ only in optional fields assign both ways.
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

/**
 * Compile-time proof that each answer schema above is the wire type the API answers with: a field
 * added to one and not the other fails `tsc` here.
 */
export type SchemaDriftChecks = [
  Same<z.output<typeof ExecutionViewSchema>, ExecutionView>,
  Same<z.output<typeof ExecutionRefSchema>, ExecutionRef>,
  Same<z.output<typeof ExecutionPageSchema>, ExecutionPage>,
  Same<z.output<typeof InquiryViewSchema>, InquiryView>,
  Same<z.output<typeof InquiryListSchema>, InquiryList>,
  Same<z.output<typeof KeyViewSchema>, KeyView>,
  Same<z.output<typeof KeyListSchema>, KeyList>,
  Same<z.output<typeof SecretWriteViewSchema>, SecretWriteView>,
  Same<z.output<typeof SecretListSchema>, SecretList>,
  Same<z.output<typeof SealingKeyRotationViewSchema>, SealingKeyRotationView>,
  Same<z.output<typeof DispatchResultSchema>, DispatchResult>,
  Same<z.output<typeof TriggerTypeViewSchema>, TriggerTypeView>,
  Same<z.output<typeof TriggerInstanceViewSchema>, TriggerInstanceView>,
  Same<z.output<typeof TriggerInstancePageSchema>, TriggerInstancePage>,
  Same<z.output<typeof RuleTestViewSchema>, RuleTestView>,
  Same<z.output<typeof PackSummarySchema>, PackSummary>,
  Same<z.output<typeof ActionSummarySchema>, ActionSummary>,
  Same<z.output<typeof RuleSummarySchema>, RuleSummary>,
  Same<z.output<typeof QueueKeyStatsSchema>, QueueKeyStats>,
  Same<z.output<typeof SensorViewSchema>, SensorView>,
  Same<z.output<typeof SensorListSchema>, SensorList>,
] extends true[] ? true : never;

/** Fails the type check when a check above is false. */
export const SCHEMAS_MATCH_WIRE: SchemaDriftChecks = true;
