/**
 * StackStorm's action chains (`runner_type: action-chain`), run unchanged: the definition read as
 * st2 reads it, and a conductor with the same surface as the Orquesta one (start, resume, nextTasks,
 * taskEvent, renderOutput, status, errors, output, toJSON), so the engine drives either the same way.
 */
export { ActionChainConductor } from './conductor.ts';
export type { ActionChainOptions, ChainTaskEvent } from './conductor.ts';
export type { ChainLookups } from './context.ts';
export { MAX_CHAIN_NODE_RUNS } from './defaults.ts';
export { ActionChainSpecError } from './errors.ts';
export type { ChainProblem } from './errors.ts';
export { nodeNotify } from './notify.ts';
export type { ChainNotifySettings } from './notify.ts';
export { ValueRenderFailure, renderValues } from './render.ts';
export { isJinjaExpression, nodeChainContext, parseActionChainSpec } from './spec.ts';
export type { ActionChainSpec, ChainNode } from './spec.ts';
export type { ConductorSurface } from './surface.ts';
export type { ChainState, ChainStatus, ChainTaskRecord, PendingNode } from './state.ts';
