import { evaluate, ExpressionFailure } from './expressions.ts';
import type { ExpressionContext } from './expressions.ts';
import { inCycle, transitionId } from './graph.ts';
import type { Transition, WorkflowGraph } from './graph.ts';
import type { WorkflowSpec } from './spec.ts';
import { ENGINE_COMMANDS } from './spec.ts';
import { copyJson } from './state.ts';
import type { ConductorState, StagedTask, TaskStateEntry } from './state.ts';

/** What the transition step needs from the conductor. */
export interface MachineView {
  spec: WorkflowSpec;
  graph: WorkflowGraph;
  state: ConductorState;
  staged(id: string, route: number): StagedTask | undefined;
  inboundStatus(id: string, route: number): 'satisfied' | 'wip' | 'not-satisfied';
  logError(error: unknown, taskId: string, route: number, transition: string): void;
  failWorkflow(): void;
}

/**
 * Evaluates a completed task's outbound transitions as Orquesta's `update_task_state` does: each
 * `when` against the task's context and result; for each one taken, the publishes in the order
 * written (each seeing the ones before), a new context, and the target staged (or its inbound
 * contexts extended when already staged, for a join). Engine commands are appended to `commands`
 * for the caller to run after the workflow's status is updated.
 */
export function applyTransitions(view: MachineView, entry: TaskStateEntry, current: ExpressionContext, commands: [string, number][]): void {
  const { graph, state } = view;
  const transitions = graph.nextTransitions(entry.id);
  if (transitions.length === 0) entry.term = true;
  const entryIndex = state.tasks[`${entry.id}__r${entry.route}`] as number;
  let manualFail = false;
  const readyTasks: StagedTask[] = [];
  for (const transition of transitions) {
    const id = transitionId(transition.to, transition.key);
    try {
      entry.next[id] = transition.criteria.map((c) => evaluate(c, current)).every((v) => truthy(v));
    } catch (error) {
      if (!(error instanceof ExpressionFailure)) throw error;
      view.logError(error, entry.id, entry.route, id);
      view.failWorkflow();
      continue;
    }
    if (!entry.next[id]) continue;
    // A copy, so publishing never aliases the task's context; the datastore lookup is a function a copy drops.
    const published = publish(view, transition, current.__st2kv === undefined ? copyJson(current) : { ...copyJson(current), __st2kv: current.__st2kv });
    if (published.errors.length > 0) {
      for (const error of published.errors) view.logError(error, entry.id, entry.route, id);
      view.failWorkflow();
      continue;
    }
    const outIndexes = [...entry.ctxs.in];
    if (Object.keys(published.values).length > 0) {
      state.contexts.push(published.values);
      outIndexes.push(state.contexts.length - 1);
      entry.ctxs.out = { [id]: state.contexts.length - 1 };
    }
    const route = nextRoute(view, transition, entry.route);
    const backref = transitionId(entry.id, transition.key);
    let next = view.staged(transition.to, route);
    if (next !== undefined) {
      next.ctxs.in.push(...outIndexes.filter((i) => i !== 0));
      next.prev[backref] = entryIndex;
      delete next.items;
      delete next.completed;
    } else {
      next = { id: transition.to, route, ctxs: { in: outIndexes }, prev: { [backref]: entryIndex }, ready: false };
      state.staged.push(next);
    }
    // Orquesta checks the join on the route the transition came from.
    next.ready = view.inboundStatus(transition.to, entry.route) === 'satisfied';
    if ((ENGINE_COMMANDS as readonly string[]).includes(transition.to)) {
      commands.push([next.id, next.route]);
      manualFail ||= transition.to === 'fail';
    } else if (next.ready) {
      readyTasks.push(next);
    }
  }
  // A cleanup named beside `fail` still runs after the workflow failed.
  if (manualFail) for (const task of readyTasks) task.run_on_fail = true;
}

/**
 * Orquesta's `_evaluate_route`: a task reached from several tasks without a join (a split) runs
 * once per way in, each on its own route, named by the transitions taken to get there.
 */
function nextRoute(view: MachineView, transition: Transition, route: number): number {
  const target = view.spec.tasks[transition.to];
  const split = target !== undefined && target.join === undefined && view.spec.taskNames.filter((name) => view.spec.tasks[name]?.next.some((n) => n.do.includes(transition.to))).length > 1;
  if (!split || inCycle(view.spec, transition.to)) return route;
  const old = view.state.routes[route] ?? [];
  const via = transitionId(transition.from, transition.key);
  if (old.includes(via)) return route;
  view.state.routes.push([...old, via]);
  return view.state.routes.length - 1;
}

/** Orquesta's `finalize_context`: publishes in order, each seeing the ones before it. */
function publish(view: MachineView, transition: Transition, rolling: ExpressionContext): { values: Record<string, unknown>; errors: unknown[] } {
  const spec = view.spec.tasks[transition.from]?.next[transition.ref];
  const values: Record<string, unknown> = {};
  const errors: unknown[] = [];
  if (spec === undefined || !spec.do.includes(transition.to)) return { values, errors };
  for (const [name, expression] of spec.publish) {
    try {
      const value = evaluate(expression, rolling);
      rolling[name] = value;
      values[name] = value;
    } catch (error) {
      if (!(error instanceof ExpressionFailure)) throw error;
      errors.push(error);
    }
  }
  return { values, errors };
}

/** Python's truth of a JSON value. */
function truthy(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object' && value !== null) return Object.keys(value).length > 0;
  return Boolean(value);
}
