export { buildStacks, isEntryPoint } from './app.ts';
export type { AttuneStacks } from './app.ts';
export { DataStack, outputIdFor } from './data-stack.ts';
export { ComputeStack, engineFunction } from './compute-stack.ts';
export type { ComputeStackProps } from './compute-stack.ts';
export { WORKER_DOCKERFILE, WORKER_DOCKERIGNORE, WorkerService, readIgnorePatterns } from './worker-service.ts';
export { TIMER_SCHEDULE_ACTIONS, TIMER_SCHEDULE_LIST_ACTION, TimerSchedules } from './timer-schedules.ts';
export type { WorkerServiceProps } from './worker-service.ts';
export {
  INTAKE_BATCH_SIZE,
  REAPER_RATE_MINUTES,
  WORKERS_DEFAULT,
  WORKERS_MAX,
  WORKER_CPU_UNITS,
  WORKER_ENV_CACHE_DIR,
  WORKER_EPHEMERAL_STORAGE_GIB,
  WORKER_MEMORY_MIB,
  WORKER_STOP_TIMEOUT_SECONDS,
  WorkersSchema,
  parseWorkers,
} from './compute-config.ts';
export { parseInfraConfig } from './config.ts';
export type { InfraConfig } from './config.ts';
export {
  bindApiKeysSecret,
  bindBucket,
  bindEventBus,
  bindExecutionQueue,
  bindIntakeQueue,
  bindPackConfigSecrets,
  bindUserSecretsWrite,
  bindSealedParameters,
  bindSealingKeyRotation,
  bindSecretsRead,
  bindSettingsOnly,
  bindStage,
  bindTable,
  withholdSecret,
} from './bind.ts';
export type { Bindable, BucketAccess, QueueAccess, SealedParametersAccess, TableAccess } from './bind.ts';
