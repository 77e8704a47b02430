/**
 * The conductor's state as a plain JSON document (it lives in a database row between events),
 * shaped after Orquesta's `WorkflowState`: contexts by index, the sequence of task runs, and the
 * tasks staged to run next.
 */

/** Workflow statuses the conductor reaches. */
export type WorkflowStatus = 'running' | 'succeeded' | 'failed';

/** Statuses an action run reports for a task (or one item of it). */
export type ActionStatus = 'running' | 'succeeded' | 'failed' | 'expired' | 'abandoned';

/** Task statuses the conductor records. */
export type TaskStatus = ActionStatus | 'retrying';

/** One run of a task: the contexts it started from, the transitions it took, its status. */
export interface TaskStateEntry {
  id: string;
  route: number;
  ctxs: { in: number[]; out?: Record<string, number> };
  /** Transition id in the previous task (`this__t0`) → index of that task's entry. */
  prev: Record<string, number>;
  /** Transition id (`next__t0`) → whether its criteria held. */
  next: Record<string, boolean>;
  status?: TaskStatus;
  retry?: { when: string | null; count: number; delay: number | null; tally: number };
  /** The result the run ended with (a with-items task: every item's), for st2's `task()`. */
  result?: unknown;
  /** The run ended a branch of the workflow: its context counts for the output. */
  term?: boolean;
}

/** A task waiting to run: `ready` once its join is satisfied. */
export interface StagedTask {
  id: string;
  route: number;
  ctxs: { in: number[] };
  prev: Record<string, number>;
  ready: boolean;
  /** Per item of a with-items task, the status of its run. */
  items?: { status: string }[];
  retry?: TaskStateEntry['retry'];
  completed?: boolean;
  /** Runs even though the workflow failed: cleanup named beside a `fail` command. */
  run_on_fail?: boolean;
}

/** An error in Orquesta's log form. */
export interface ConductorLogEntry {
  type: 'error';
  message: string;
  task_id?: string;
  route?: number;
  task_transition_id?: string;
  result?: unknown;
}

/** Everything the conductor needs to resume: plain JSON. */
export interface ConductorState {
  version: 1;
  status: WorkflowStatus;
  input: Record<string, unknown>;
  contexts: Record<string, unknown>[];
  routes: string[][];
  sequence: TaskStateEntry[];
  /** `name__r<route>` → index of the task's latest entry in `sequence`. */
  tasks: Record<string, number>;
  staged: StagedTask[];
  errors: ConductorLogEntry[];
  output: Record<string, unknown> | null;
  /** `name__r<route>` → results of a with-items task's items so far (null where not ended). */
  itemResults: Record<string, unknown[]>;
}

export const ACTIVE_STATUSES: readonly string[] = ['requested', 'scheduled', 'delayed', 'running', 'resuming', 'pausing', 'canceling'];
export const ABENDED_STATUSES: readonly string[] = ['failed', 'expired', 'abandoned'];
export const COMPLETED: readonly string[] = ['succeeded', 'failed', 'expired', 'abandoned', 'canceled'];
export const STARTING_STATUSES: readonly string[] = ['requested', 'scheduled', 'delayed', 'running', 'pending'];

/** `name__r0`: a task run's id within the state. */
export function taskKey(id: string, route: number): string {
  return `${id}__r${route}`;
}

/** Merges contexts left to right, later keys winning. */
export function mergeContexts(state: ConductorState, indexes: readonly number[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const index of indexes) Object.assign(out, state.contexts[index]);
  return out;
}

/** A deep copy of JSON data, so published values never alias each other. */
export function copyJson<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}
