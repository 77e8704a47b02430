export { endDeadLettered } from './dead-letters.ts';
export type { DeadLetterOutcome } from './dead-letters.ts';
export { ACTIVE, ExecutionLifecycle, QUEUED } from './lifecycle.ts';
export type { RequestExtra } from './lifecycle.ts';
export type { ClaimOutcome, ClaimedExecution, Delivery, ReapResult, RunReport } from './outcomes.ts';
export type { LifecyclePorts } from './ports.ts';
export { STRANDED_AFTER_MS, reapExpiredLeases } from './reaper.ts';
export { nextAttempt, retryId, sealParameters } from './request.ts';
export type { Sealing } from './request.ts';
