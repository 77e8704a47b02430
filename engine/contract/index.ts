export {
  AWS_SOCKET_TIMEOUT_MS,
  DEFAULT_STAGE,
  DLQ_RETENTION_DAYS,
  EXECUTION_RETENTION_DAYS,
  EXECUTION_RETENTION_ENV,
  LOCAL_ACCOUNT_ID,
  LOCAL_REGION,
  LOG_RETENTION_DAYS,
  QUEUE_MAX_RECEIVE_COUNT,
  QUEUE_VISIBILITY_TIMEOUT_SECONDS,
  TRIGGER_INSTANCE_RETENTION_DAYS,
} from './defaults.ts';
export {
  KV_SECRET_PREFIX,
  RESERVED_SECRET_MARK,
  StageSchema,
  WEBHOOK_SECRET_PREFIX,
  bucketName,
  kvSecretName,
  packConfigSecretName,
  resourceNames,
  sealedParametersName,
  SEALING_KEY_SECRET,
  webhookSecretName,
} from './names.ts';
export type { ResourceNames, Stage } from './names.ts';
export { EVENTS_TABLE, EXECUTIONS_TABLE, KV_TABLE, LEASES_TABLE, PACK_ENVIRONMENT_UPDATE, REGISTRY_ITEM, REGISTRY_LOOKUP, REGISTRY_TABLE, TABLES } from './tables.ts';
export type { IndexDefinition, KeyAttribute, TableDefinition, TableKey } from './tables.ts';
export { ENV, SERVICE_ENV, RuntimeEnvSchema, TABLE_ENV, loadRuntimeConfig, runtimeEnv } from './env.ts';
export { parseSettings } from './settings.ts';
export type { ParseSettingsOptions, SettingsEnv, SettingsSchema } from './settings.ts';
export type { EnvKey, RuntimeConfig } from './env.ts';
export {
  REQUIRE_LOCAL_AWS_ENV,
  clientConfig,
  createAwsClients,
  createStoreClients,
  isLoopbackEndpoint,
  resolveEndpoint,
} from './clients.ts';
export type { AwsClients, AwsService, ClientFactoryOptions, StoreClients } from './clients.ts';
export { ContractError, InvalidEnvironment, RealAwsRefused } from './errors.ts';
export { EMPTY_RECEIVE, RequestMeter } from './request-meter.ts';
export type { MeteredRequests, RequestTally } from './request-meter.ts';
export { attributeRequests, currentRequestScope, inRequestScope, outsideExecution } from './request-scope.ts';
export type { RequestPart, RequestScope } from './request-scope.ts';
export { CAPACITY_OPERATIONS, capacityUnits, itemSizeBytes } from './dynamodb-units.ts';
export type { CapacityUnits } from './dynamodb-units.ts';
export { METRIC, METRICS_ENV, METRICS_NAMESPACE } from './metrics.ts';
export type { MetricName } from './metrics.ts';
