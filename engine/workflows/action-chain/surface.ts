import type { ActionStatus, ConductorLogEntry, WorkflowStatus } from '../state.ts';
import type { ScheduledTask } from '../task-render.ts';

/**
 * What the engine needs from a running workflow, whatever its runner: the Orquesta conductor and
 * the action-chain conductor both have it, so one piece of wiring drives either.
 */
export interface ConductorSurface {
  readonly status: WorkflowStatus;
  readonly errors: readonly ConductorLogEntry[];
  readonly output: Record<string, unknown> | null;
  /** Tasks to run now; a task handed out is not handed out again until an event for it arrived. */
  nextTasks(): ScheduledTask[];
  taskEvent(taskId: string, route: number, event: { status: ActionStatus; result?: unknown }): void;
  renderOutput(): void;
  /** The state as plain JSON, to store between events and resume from. */
  toJSON(): unknown;
}
