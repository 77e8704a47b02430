/**
 * Orquesta workflows (StackStorm's `runner_type: orquesta`), run unchanged: the definition parsed
 * and checked as Orquesta 1.2.0 checks it, and the conductor, a pure state machine that decides
 * what runs next, publishes variables on transitions, and ends the workflow with its status,
 * output and errors in Orquesta's forms. Expressions are YAQL (`<% %>`, engine/expressions/yaql)
 * and Jinja (`{{ }}`, engine/templates), with Orquesta's `ctx() item() succeeded() failed()
 * completed() result() task_status()`.
 *
 * The conductor keeps no I/O: its caller runs the actions it schedules, feeds back each task's
 * (or item's) status and result with `taskEvent`, asks `nextTasks` again, and stores `toJSON()`
 * between events.
 */
export { WorkflowConductor } from './conductor.ts';
export type { ConductorOptions, EngineCommand, TaskEvent } from './conductor.ts';
export type { St2kvLookup } from './expressions.ts';
export { ConductorError, WorkflowSpecError } from './errors.ts';
export type { SpecProblem } from './errors.ts';
export { parseInlineParams } from './inline-params.ts';
export { ENGINE_COMMANDS, parseWorkflowSpec } from './spec.ts';
export type { TaskSpec, TransitionSpec, WorkflowSpec } from './spec.ts';
export { WorkflowGraph } from './graph.ts';
export type { ActionStatus, ConductorLogEntry, ConductorState, StagedTask, TaskStateEntry, WorkflowStatus } from './state.ts';
export type { ScheduledAction, ScheduledTask } from './task-render.ts';
export { inspectWorkflow, loadWorkflow } from './inspect.ts';
export { ActionChainConductor, ActionChainSpecError, MAX_CHAIN_NODE_RUNS, nodeChainContext, nodeNotify, parseActionChainSpec } from './action-chain/index.ts';
export type { ActionChainOptions, ActionChainSpec, ChainLookups, ChainNode, ChainNotifySettings, ChainProblem, ChainState, ChainStatus, ChainTaskEvent, ChainTaskRecord, ConductorSurface } from './action-chain/index.ts';
