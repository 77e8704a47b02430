import { ConductorError } from './errors.ts';
import { evaluate } from './expressions.ts';
import type { ExpressionContext } from './expressions.ts';
import type { TaskSpec } from './spec.ts';
import { ACTIVE_STATUSES } from './state.ts';
import type { StagedTask } from './state.ts';

/** One action to run for a task: the rendered action name and input, and the item index of a with-items task. */
export interface ScheduledAction {
  action: string;
  input: unknown;
  item: number | null;
}

/** A task ready to run, as the conductor hands it out. */
export interface ScheduledTask {
  id: string;
  route: number;
  /** Seconds to wait before running (the task's `delay`, or its retry delay). */
  delay: number | null;
  actions: ScheduledAction[];
  /** For a with-items task: how many items in all, and how many may run at once. */
  itemsCount: number | null;
  concurrency: number | null;
  /** The variables the task sees. */
  context: Record<string, unknown>;
}

/**
 * Renders a staged task as Orquesta's `get_task` and `_evaluate_task_actions` do: the delay, the
 * items (each bound as `item()`), the action and input per item, then only the items that may
 * start now under the concurrency.
 */
export function renderTask(spec: TaskSpec | undefined, staged: StagedTask, context: ExpressionContext): ScheduledTask {
  if (spec === undefined) throw new ConductorError(`the workflow has no task "${staged.id}"`, { field: 'task' });
  const task: ScheduledTask = {
    id: staged.id, route: staged.route, delay: null, actions: [], itemsCount: null, concurrency: null,
    context: Object.fromEntries(Object.entries(context).filter(([k]) => !k.startsWith('__'))),
  };
  if (spec.delay !== undefined) {
    const delay = typeof spec.delay === 'string' ? evaluate(spec.delay, context) : spec.delay;
    if (!Number.isInteger(delay)) throw new TypeError('The value of task delay is not type of integer.');
    task.delay = delay as number;
  }
  const input = spec.input ?? null;
  if (spec.with === undefined) {
    task.actions.push({ action: evaluate(spec.action ?? null, context) as string, input: evaluate(input, context), item: null });
    return task;
  }
  const itemsText = spec.with.items;
  const at = itemsText.indexOf(' in ');
  const expression = at < 0 ? itemsText.trim() : itemsText.slice(at + 4).trim();
  const items = evaluate(expression, context);
  if (!Array.isArray(items)) throw new TypeError(`The value of "${expression}" is not type of list.`);
  const keys = at < 0 ? null : itemsText.slice(0, at).replaceAll(' ', '').split(',');
  const actions = items.map((raw: unknown, index) => {
    let item = raw;
    if (keys !== null && Array.isArray(raw)) item = Object.fromEntries(keys.slice(0, raw.length).map((k, i) => [k, raw[i]]));
    else if (keys !== null && keys.length === 1) item = { [keys[0] as string]: raw };
    const itemContext = { ...context, __current_item: item };
    return { action: evaluate(spec.action ?? null, itemContext) as string, input: evaluate(input, itemContext), item: index };
  });
  task.itemsCount = actions.length;
  const concurrency = spec.with.concurrency === undefined ? null : evaluate(spec.with.concurrency, context);
  task.concurrency = concurrency as number | null;
  staged.items ??= actions.map(() => ({ status: 'null' }));
  const notRun = actions.filter((_, i) => staged.items?.[i]?.status === 'null');
  const active = staged.items.filter((x) => ACTIVE_STATUSES.includes(x.status)).length;
  task.actions = concurrency === null ? notRun : notRun.slice(0, Math.max(0, (concurrency as number) - active));
  return task;
}
