import { transitionId } from './graph.ts';
import type { WorkflowGraph } from './graph.ts';
import { ABENDED_STATUSES, ACTIVE_STATUSES, COMPLETED, taskKey } from './state.ts';
import type { ConductorLogEntry, ConductorState, TaskStateEntry } from './state.ts';

/** A join's readiness: enough branches arrived, some may still arrive, or none can. */
export type InboundStatus = 'satisfied' | 'wip' | 'not-satisfied';

/** The latest run of a task on a route. */
export function entryOf(state: ConductorState, taskId: string, route: number): TaskStateEntry | undefined {
  const index = state.tasks[taskKey(taskId, route)];
  return index === undefined ? undefined : state.sequence[index];
}

function hasActiveTasks(state: ConductorState): boolean {
  return Object.values(state.tasks).some((i) => {
    const status = state.sequence[i]?.status;
    return status !== undefined && ACTIVE_STATUSES.includes(status);
  });
}

function hasReadyTasks(state: ConductorState): boolean {
  return state.staged.some((s) => s.ready && s.completed !== true);
}

/** Whether a join's inbound branches are enough to run it (Orquesta's `get_inbound_criteria_status`). */
export function inboundStatus(state: ConductorState, graph: WorkflowGraph, taskId: string, route: number): InboundStatus {
  const inbound = graph.prevTransitions(taskId);
  const evaluation = new Map<string, boolean | null>(inbound.map((t) => [t.from, null]));
  const barrier = graph.barriers.get(taskId) ?? 1;
  const requirement = barrier === '*' ? evaluation.size : barrier;
  for (const t of inbound) {
    const prev = entryOf(state, t.from, route);
    if (prev === undefined) continue;
    // A branch whose task started but has not taken this transition counts as not arrived.
    const satisfied = prev.next[transitionId(t.to, t.key)] === true;
    if (evaluation.get(t.from) !== true) evaluation.set(t.from, satisfied);
  }
  const values = [...evaluation.values()];
  if (values.filter((v) => v === true).length >= requirement) return 'satisfied';
  if (values.includes(null) && (hasActiveTasks(state) || hasReadyTasks(state))) return 'wip';
  return 'not-satisfied';
}

/** Whether a completed task took a transition whose target may still run (Orquesta's `has_next_tasks`). */
export function hasNextTasks(state: ConductorState, graph: WorkflowGraph, taskId: string, route: number): boolean {
  const entry = entryOf(state, taskId, route);
  if (entry?.status === undefined || !COMPLETED.includes(entry.status)) return false;
  for (const t of graph.nextTransitions(taskId)) {
    if (t.to === 'continue' || entry.next[transitionId(t.to, t.key)] !== true) continue;
    if (graph.barriers.has(t.to) && inboundStatus(state, graph, t.to, route) === 'not-satisfied') continue;
    return true;
  }
  return false;
}

/**
 * Orquesta's `WorkflowStateMachine.process_task_event` for the statuses the conductor reaches: a
 * failed task with a transition taken is remediated; one without fails the workflow at once; the
 * workflow succeeds when nothing runs and nothing waits. A completed workflow with a join left
 * waiting on branches that can no longer arrive fails, each such join logged.
 */
export function applyTaskStatus(state: ConductorState, graph: WorkflowGraph, taskId: string, route: number, taskStatus: string, log: (entry: ConductorLogEntry) => void): void {
  if (state.status !== 'running') return;
  const remediated = ABENDED_STATUSES.includes(taskStatus) && hasNextTasks(state, graph, taskId, route);
  if (ABENDED_STATUSES.includes(taskStatus) && !remediated) state.status = 'failed';
  else if (taskStatus === 'succeeded' || remediated) {
    const pending = hasReadyTasks(state) || hasNextTasks(state, graph, taskId, route);
    if (!hasActiveTasks(state) && !pending) state.status = 'succeeded';
  }
  if (!COMPLETED.includes(state.status)) return;
  for (const staged of state.staged) {
    if (!graph.barriers.has(staged.id) || staged.ready) continue;
    if (inboundStatus(state, graph, staged.id, staged.route) !== 'not-satisfied') continue;
    state.status = 'failed';
    log({ type: 'error', message: `UnreachableJoinError: The join task|route "${staged.id}|${staged.route}" is partially satisfied but unreachable.`, task_id: staged.id, route: staged.route });
  }
}
