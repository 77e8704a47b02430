import { ACTIVE_STATUSES, ABENDED_STATUSES, COMPLETED } from './state.ts';
import type { StagedTask, TaskStatus } from './state.ts';

/**
 * A task's next status after an event, as Orquesta's `TaskStateMachine` decides for the statuses
 * the conductor handles: an action (or item) starting or ending, and the engine commands.
 */
export function nextTaskStatus(current: TaskStatus | undefined, event: string, item: number | undefined, staged: StagedTask | undefined, command: string | undefined): TaskStatus | undefined {
  if (command === 'retry') return current === 'succeeded' || current === 'failed' ? 'retrying' : current;
  if (command !== undefined) return current === undefined ? (command === 'fail' ? 'failed' : 'succeeded') : current;
  if (event === 'running') return current === undefined || current === 'running' || current === 'retrying' ? 'running' : current;
  const abended = ABENDED_STATUSES.includes(event);
  if (event !== 'succeeded' && !abended) return current;
  if (current !== 'running') return current;
  if (item === undefined || staged?.items === undefined) return event === 'succeeded' ? 'succeeded' : 'failed';
  const others = staged.items.filter((_, i) => i !== item).map((x) => x.status);
  const active = others.some((s) => ACTIVE_STATUSES.includes(s));
  if (abended) return active ? 'running' : 'failed';
  if (active) return 'running';
  if (others.some((s) => ABENDED_STATUSES.includes(s))) return 'failed';
  return others.some((s) => !COMPLETED.includes(s)) ? 'running' : 'succeeded';
}
