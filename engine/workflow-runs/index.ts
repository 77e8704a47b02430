/**
 * Workflow executions on the engine: the conductor of each workflow (Orquesta, action-chain)
 * driven by events (its start, the end of each task execution, a cancel) that arrive one at a
 * time per workflow through a FIFO queue; its state in the workflows table; each task an
 * execution of its own through the lifecycle.
 */
export { isWorkflowRunner, parseDefinition, WORKFLOW_RUNNERS } from './conductors.ts';
export type { Conductor, WorkflowDefinition, WorkflowRunner } from './conductors.ts';
export { WorkflowDefinitionMissing, WorkflowRunConflict, WorkflowStateTooLarge } from './errors.ts';
export { deduplicationId, parseWorkflowEvent, WorkflowEventQueue, WorkflowEventSchema } from './events.ts';
export type { ReceivedWorkflowEvent, WorkflowEvent, WorkflowEventSink } from './events.ts';
export { taskExecutionId } from './ids.ts';
export { ChildRefSchema, WorkflowRunSchema, WorkflowRunStore } from './run-store.ts';
export type { ChildRef, WorkflowRun } from './run-store.ts';
export { WorkflowService } from './service.ts';
export type { TaskRequest, WorkflowServicePorts } from './service.ts';
export { TASK_OUTPUT_LIMIT_BYTES, taskResultOf, taskStatusOf } from './task-results.ts';
