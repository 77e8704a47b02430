export { buildStacks, isEntryPoint } from './app.ts';
export type { AttuneStacks } from './app.ts';
export { DataStack, outputIdFor } from './data-stack.ts';
export { ComputeStack, engineFunction } from './compute-stack.ts';
export type { ComputeStackProps } from './compute-stack.ts';
export { DRAIN_SECONDS_ENV, WORKER_DOCKERFILE, WORKER_DOCKERIGNORE, WorkerService, readIgnorePatterns } from './worker-service.ts';
export { WorkerScalingPolicies, scaleOutSteps, scalingLadder } from './worker-scaling.ts';
export type { ScaleOutStep, WorkerScalingProps } from './worker-scaling.ts';
export { TIMER_SCHEDULE_ACTIONS, TIMER_SCHEDULE_LIST_ACTION, TimerSchedules } from './timer-schedules.ts';
export type { WorkerServiceProps } from './worker-service.ts';
export {
  INTAKE_BATCH_SIZE,
  REAPER_RATE_MINUTES,
  WORKERS_DEFAULT,
  WORKERS_MAX,
  WORKER_BACKLOG_PER_TASK_DEFAULT,
  WORKER_CPU_UNITS,
  WORKER_DRAIN_SECONDS,
  WORKER_ENV_CACHE_DIR,
  WORKER_EPHEMERAL_STORAGE_GIB,
  WORKER_MEMORY_MIB,
  WORKER_MAX_DEFAULT,
  WORKER_SCALE_IN_COOLDOWN_SECONDS,
  WORKER_SCALE_IN_IDLE_MINUTES,
  WORKER_SCALE_OUT_COOLDOWN_SECONDS,
  WORKER_SCALE_OUT_PERIOD_MINUTES,
  WORKER_STOP_TIMEOUT_SECONDS,
  WorkersSchema,
  parseWorkerScaling,
  parseWorkers,
} from './compute-config.ts';
export type { WorkerScaling } from './compute-config.ts';
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
  bindSecretsRead,
  bindSettingsOnly,
  bindStage,
  bindTable,
  withholdSecret,
} from './bind.ts';
export type { Bindable, BucketAccess, QueueAccess, SealedParametersAccess, TableAccess } from './bind.ts';
