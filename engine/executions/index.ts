export { EXECUTION_STATUSES, ExecutionSchema, LEASED_STATUSES, ExecutionStatusSchema, LogStreamInfoSchema, TERMINAL_STATUSES, TRANSITIONS, sourcesOf } from './model.ts';
export type { Execution, ExecutionStatus, LogStreamInfo } from './model.ts';
export { ExecutionStore } from './store.ts';
export { EXECUTION_RETENTION_DAYS, EXECUTION_RETENTION_ENV, ExecutionRetentionSettingsSchema, executionRetentionDays, expiryOf } from './retention.ts';
export type { ExecutionKeys, ExecutionPatch, ListPage, ListQuery } from './store.ts';
export { ExecutionError, ExecutionExists, ExecutionNotFound, InvalidCursor, NotAWorkflow, TransitionRefused, ignoreRefused } from './errors.ts';
