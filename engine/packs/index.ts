export { loadPack } from './loader.ts';
export type { LoadPackOptions } from './loader.ts';
export { parseYaml } from './yaml-file.ts';
export type { YamlRead } from './yaml-file.ts';
export { resolveEntryPoint } from './entry-point.ts';
export type { EntryPointResolution } from './entry-point.ts';
export { SECRET_MASK, maskSecrets, secretParameterNames, validateParameters } from './parameters.ts';
export type { ParameterValidation, ParameterizedAction } from './parameters.ts';
export { renderParameters } from './render-parameters.ts';
export type { ParameterContext } from './render-parameters.ts';
export { CastFailure, castValue } from './casts.ts';
export { parsePythonLiteral } from './python-literal.ts';
export {
  PACK_REF_PATTERN,
  PackMetaSchema,
  RESOURCE_NAME_PATTERN,
  RESOURCE_REF_PATTERN,
} from './meta-schema.ts';
export type { PackMeta } from './meta-schema.ts';
export { ActionSchema, PARAMETER_TYPES, ParameterSchema, RUNNER_TYPES, SCRIPT_RUNNERS, matchesType } from './action-schema.ts';
export type { ActionDefinition, ParameterDefinition, ParameterType, RunnerType } from './action-schema.ts';
export { NotifySchema, NotifySubsectionSchema } from './notify-schema.ts';
export type { Notify, NotifySubsection } from './notify-schema.ts';
export { CriterionSchema, RuleSchema } from './rule-schema.ts';
export type { RuleDefinition } from './rule-schema.ts';
export {
  ConcurrencyAttrParametersSchema,
  ConcurrencyParametersSchema,
  POLICY_TYPES,
  PolicySchema,
  RetryParametersSchema,
} from './policy-schema.ts';
export type { PolicyDefinition, PolicyType } from './policy-schema.ts';
export { EVENTBRIDGE_TRIGGER, WEBHOOK_TRIGGER, checkPolicy, checkRule } from './resource-checks.ts';
export type { Action, Pack, PackFiles, Policy, ResourceOrigin, Rule, TriggerType } from './types.ts';
export { PackConfigInvalid, PackError, PackValidationError, ParameterValidationError, formatPackIssue } from './errors.ts';
export type { ConfigIssue, PackIssue, ParameterIssue } from './errors.ts';
export { CONFIG_SCHEMA_FILE, ConfigItemSchema, ConfigSchemaFileSchema, matchesItemType, typesOf } from './config-schema.ts';
export type { ConfigItem, ConfigSchema } from './config-schema.ts';
export { checkAgainstItem, applyConfigDefaults, configSecrets, sealConfig, unsealConfig, validatePackConfig } from './pack-config.ts';
export type { ConfigPath, ConfigSecret, SealedConfig } from './pack-config.ts';
export { SensorTriggerTypesSchema, TriggerTypeSchema } from './trigger-type-schema.ts';
export type { TriggerTypeDefinition } from './trigger-type-schema.ts';
export { SensorSchema, loadSensors } from './sensors.ts';
export type { Sensor } from './sensors.ts';
export { checkRuleTrigger, loadTriggerTypes, triggerParameterIssues } from './trigger-types.ts';
