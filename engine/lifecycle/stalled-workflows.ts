import { TERMINAL_STATUSES, type ExecutionKeys, type ExecutionStore } from '../executions/index.ts';
import type { WorkflowEventSink } from '../workflow-runs/events.ts';
import type { WorkflowRunStore } from '../workflow-runs/run-store.ts';

/**
 * How long a workflow's run may go unchanged while one of its active task executions has ended
 * before the reaper tells it again: far longer than an event's trip through the workflow queue
 * and the conductor, so a workflow that is only slow to hear never gets the end twice (and if it
 * does, the conductor drops a task end it has already seen).
 */
export const WORKFLOW_STALLED_AFTER_MS = 60_000;

/** What telling stalled workflows again takes. */
export interface StalledWorkflowPorts {
  executions: Pick<ExecutionStore, 'find'>;
  workflowRuns: Pick<WorkflowRunStore, 'find'>;
  workflowEvents: WorkflowEventSink;
}

/**
 * Sends `child-ended` again for every task execution that ended while its workflow's run, still
 * holding it active, has not changed since: the send after storing the end failed (the queue was
 * unreachable, the process died), and the workflow would stay `running` forever. `workflows` are
 * live executions without a lease (a workflow holds none; its tasks do), from the status queries
 * the reaper makes anyway. Cost per pass: one GetItem per live workflow, and, only for a run
 * unchanged for WORKFLOW_STALLED_AFTER_MS, one per active task execution; one SendMessage per end
 * found unheard. Answers `<workflow>/<task execution>` of each end sent again.
 */
export async function resendLostTaskEnds(
  ports: StalledWorkflowPorts,
  workflows: readonly Pick<ExecutionKeys, 'id'>[],
  now: number,
  failed: string[],
): Promise<string[]> {
  const resent: string[] = [];
  const before = now - WORKFLOW_STALLED_AFTER_MS;
  for (const { id } of workflows) {
    try {
      const run = await ports.workflowRuns.find(id);
      if (!run || run.status === 'ended' || run.active.length === 0 || Date.parse(run.updatedAt) > before) continue;
      for (const childId of run.active) {
        const child = await ports.executions.find(childId);
        if (!child || !TERMINAL_STATUSES.includes(child.status) || !child.endedAt || Date.parse(child.endedAt) > before) continue;
        await ports.workflowEvents.send({ kind: 'child-ended', workflow: id, child: childId });
        resent.push(`${id}/${childId}`);
      }
    } catch (err) {
      failed.push(`${id}: ${(err as Error).message}`);
    }
  }
  return resent;
}
