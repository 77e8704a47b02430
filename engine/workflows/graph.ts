import { ENGINE_COMMANDS } from './spec.ts';
import type { TaskSpec, WorkflowSpec } from './spec.ts';

/** One edge of the workflow graph: `from` starts `to` when `criteria` hold; `ref` is the index in `from`'s `next`. */
export interface Transition {
  from: string;
  to: string;
  /** Orquesta's edge key: how many edges from `from` to `to` came before this one. */
  key: number;
  criteria: string[];
  ref: number;
}

/** A task's retry as the graph holds it: a `retry` block, or a `do: retry` command's defaults. */
export interface RetrySpec {
  when: string | null;
  count: number | string;
  delay: number | string | null;
}

/** Orquesta's transition id, `next__t0`: names an edge in a task's `next` record. */
export function transitionId(to: string, key: number): string {
  return `${to}__t${key}`;
}

/** Tasks a transition list names, as `get_next_tasks` orders them: by target name. */
export function nextTasksOf(task: TaskSpec): { to: string; condition: string | undefined; ref: number }[] {
  const out = task.next.flatMap((transition, ref) => transition.do.map((to) => ({ to, condition: transition.when, ref })));
  return out.sort((a, b) => (a.to < b.to ? -1 : a.to > b.to ? 1 : 0));
}

/** Tasks no other task's `do` names, by name: where a run starts. */
export function startTasks(spec: WorkflowSpec): string[] {
  const referenced = new Set(spec.taskNames.flatMap((name) => nextTasksOf(spec.tasks[name] as TaskSpec).map((n) => n.to)));
  return spec.taskNames.filter((name) => !referenced.has(name)).sort();
}

/** Whether `name` can reach itself through `do` (Orquesta's `TaskMappingSpec.in_cycle`). */
export function inCycle(spec: WorkflowSpec, name: string): boolean {
  const start = spec.tasks[name];
  // An engine command (`continue`, `fail`, `noop`) is a node without transitions of its own.
  if (start === undefined) return false;
  const traversed = new Set<string>();
  const queue = nextTasksOf(start).map((n) => n.to);
  while (queue.length > 0) {
    const next = queue.shift() as string;
    if (next === name) return true;
    if (traversed.has(next)) continue;
    traversed.add(next);
    const task = spec.tasks[next];
    if (task !== undefined) queue.push(...nextTasksOf(task).map((n) => n.to));
  }
  return false;
}

/**
 * The workflow graph as Orquesta's native composer builds it: tasks reachable from the start
 * tasks (engine commands included as nodes), transitions with their keys, join barriers and
 * retry specs. It is derived from the spec alone, so the conductor's state need not hold it.
 */
export class WorkflowGraph {
  readonly nodes: string[] = [];
  readonly transitions: Transition[] = [];
  readonly barriers = new Map<string, '*' | number>();
  readonly retries = new Map<string, RetrySpec>();

  readonly spec: WorkflowSpec;

  constructor(spec: WorkflowSpec) {
    this.spec = spec;
    const queue = startTasks(spec);
    while (queue.length > 0) {
      const name = queue.shift() as string;
      if (!this.nodes.includes(name)) this.nodes.push(name);
      const task = spec.tasks[name];
      if (task === undefined) continue;
      if (task.join !== undefined) this.barriers.set(name, task.join === 'all' ? '*' : task.join);
      if (task.retry !== undefined) this.retries.set(name, { when: task.retry.when ?? null, count: task.retry.count, delay: task.retry.delay ?? null });
      for (const next of nextTasksOf(task)) {
        if (next.to === 'retry') {
          this.retries.set(name, { when: next.condition ?? '<% completed() %>', count: 3, delay: null });
          continue;
        }
        if (!this.nodes.includes(next.to) || !inCycle(spec, next.to)) queue.push(next.to);
        const criteria = next.condition === undefined ? [] : [next.condition];
        const same = this.transitions.find((t) => t.from === name && t.to === next.to && t.ref === next.ref && sameCriteria(t.criteria, criteria));
        if (same !== undefined) continue;
        const key = this.transitions.filter((t) => t.from === name && t.to === next.to).length;
        this.transitions.push({ from: name, to: next.to, key, criteria, ref: next.ref });
      }
    }
  }

  /** Tasks without inbound transitions, in the order the graph met them. */
  get roots(): string[] {
    return this.nodes.filter((node) => !this.transitions.some((t) => t.to === node));
  }

  hasTask(name: string): boolean {
    return this.nodes.includes(name) || (ENGINE_COMMANDS as readonly string[]).includes(name);
  }

  /** Outbound transitions ordered by target name, then as added. */
  nextTransitions(name: string): Transition[] {
    return stableByTarget(this.transitions.filter((t) => t.from === name), (t) => t.to);
  }

  /** Inbound transitions ordered by source name. */
  prevTransitions(name: string): Transition[] {
    return stableByTarget(this.transitions.filter((t) => t.to === name), (t) => t.from);
  }
}

function sameCriteria(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((c, i) => c === b[i]);
}

function stableByTarget<T>(items: T[], key: (item: T) => string): T[] {
  return items.map((item, i) => ({ item, i })).sort((a, b) => {
    const ka = key(a.item);
    const kb = key(b.item);
    return ka < kb ? -1 : ka > kb ? 1 : a.i - b.i;
  }).map((x) => x.item);
}
