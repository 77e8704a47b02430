import { createHash } from 'node:crypto';

/**
 * The id of the n-th task execution a workflow starts: derived, not random, so handling the same
 * event again after a crash asks for the same executions, which the lifecycle creates once.
 */
export function taskExecutionId(workflowId: string, n: number): string {
  const h = createHash('sha256').update(`${workflowId}\ntask execution ${n}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
