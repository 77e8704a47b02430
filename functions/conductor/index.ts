export { handleWorkflowBatch } from './conductor.ts';
export type { BatchResponse, ConductorEngine } from './conductor.ts';
