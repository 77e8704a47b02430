export { Worker, SHUTDOWN_SIGNALS } from './worker.ts';
export type { WorkerDeps, WorkerState } from './worker.ts';
export { executeClaimed } from './execute.ts';
export type { ExecuteDeps } from './execute.ts';
export { PackCache } from './pack-cache.ts';
export { BoundedLog } from './bounded-log.ts';
export { WORKER_ENV, loadWorkerSettings } from './settings.ts';
export type { WorkerSettings } from './settings.ts';
