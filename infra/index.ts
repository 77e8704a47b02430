export { buildStacks } from './app.ts';
export type { AttuneStacks } from './app.ts';
export { DataStack, outputIdFor } from './data-stack.ts';
export { ComputeStack, engineFunction } from './compute-stack.ts';
export { parseInfraConfig } from './config.ts';
export type { InfraConfig } from './config.ts';
export {
  bindBucket,
  bindEventBus,
  bindExecutionQueue,
  bindIntakeQueue,
  bindSecretsRead,
  bindStage,
  bindTable,
} from './bind.ts';
export type { Bindable, BucketAccess, QueueAccess, TableAccess } from './bind.ts';
