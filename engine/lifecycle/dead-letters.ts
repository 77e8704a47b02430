import { QUEUE_MAX_RECEIVE_COUNT } from '../contract/index.ts';
import type { ExecutionStatus } from '../executions/index.ts';
import { ExecutionMessageSchema } from '../queue/index.ts';
import { parseWorkflowEvent } from '../workflow-runs/events.ts';
import type { ExecutionLifecycle } from './lifecycle.ts';
import { QUEUED } from './lifecycle.ts';

/** A workflow's statuses while its conductor moves it: a lost event leaves it in one of them. */
const WORKFLOW_MOVING: readonly ExecutionStatus[] = ['running', 'pausing', 'paused', 'resuming', 'canceling'];

/** What a dead-lettered message did: the execution it ended, or why it ended none. */
export type DeadLetterOutcome =
  | { kind: 'ended'; execution: string; queue: 'execution' | 'workflow' }
  | { kind: 'moved-on'; execution: string; queue: 'execution' | 'workflow' }
  | { kind: 'unreadable' };

/**
 * Ends what a dead-lettered message leaves stranded: an execution message names a queued
 * execution no worker will be handed again, a workflow event names a workflow its conductor will
 * not move again. Either ends `failed` with the reason; an execution that moved on meanwhile (it
 * was claimed, canceled, or ended) is left as it is. A body that is neither is `unreadable`: it
 * names no execution, so there is nothing to end.
 */
export async function endDeadLettered(lifecycle: Pick<ExecutionLifecycle, 'failUndeliverable'>, body: string): Promise<DeadLetterOutcome> {
  const message = parseJson(body);
  const execution = ExecutionMessageSchema.safeParse(message);
  if (execution.success) {
    const id = execution.data.executionId;
    const reason = `failed: its queue message was dead-lettered after ${QUEUE_MAX_RECEIVE_COUNT} receives without being scheduled`;
    const ended = await lifecycle.failUndeliverable(id, reason, QUEUED);
    return { kind: ended ? 'ended' : 'moved-on', execution: id, queue: 'execution' };
  }
  const event = parseWorkflowEvent(body);
  if (event) {
    const reason = `failed: its workflow event '${event.kind}' was dead-lettered after ${QUEUE_MAX_RECEIVE_COUNT} failed deliveries to its conductor`;
    const ended = await lifecycle.failUndeliverable(event.workflow, reason, event.kind === 'start' ? QUEUED : WORKFLOW_MOVING);
    return { kind: ended ? 'ended' : 'moved-on', execution: event.workflow, queue: 'workflow' };
  }
  return { kind: 'unreadable' };
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}
