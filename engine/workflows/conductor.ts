import { ConductorError } from './errors.ts';
import { COMPLETED_STATUSES, evaluate, ExpressionFailure } from './expressions.ts';
import type { ExpressionContext, St2kvLookup, StatusView } from './expressions.ts';
import { WorkflowGraph } from './graph.ts';
import { ENGINE_COMMANDS } from './spec.ts';
import type { WorkflowSpec } from './spec.ts';
import { ABENDED_STATUSES, copyJson, mergeContexts, STARTING_STATUSES, taskKey } from './state.ts';
import type { ActionStatus, ConductorLogEntry, ConductorState, StagedTask, TaskStateEntry, WorkflowStatus } from './state.ts';
import { renderTask } from './task-render.ts';
import type { ScheduledTask } from './task-render.ts';
import { nextTaskStatus } from './task-status.ts';
import { applyTransitions } from './transitions.ts';
import { applyTaskStatus, entryOf, inboundStatus } from './workflow-status.ts';

/** What ended (or started) one run of a task's action, or of one item of a with-items task. */
export interface TaskEvent {
  status: ActionStatus;
  result?: unknown;
  /** The item index, for a with-items task. */
  item?: number;
}

/** What a conductor reads outside its state, for one event: the datastore for `st2kv()`. */
export interface ConductorOptions {
  st2kv?: St2kvLookup;
}

/** Engine commands as events: `continue` and `noop` succeed, `fail` fails, `retry` reruns. */
export type EngineCommand = 'continue' | 'fail' | 'noop' | 'retry';

/**
 * Orquesta's workflow conductor as a pure state machine: it says which tasks to run next with
 * their rendered input, takes each task's (or item's) status and result, publishes variables on
 * the transitions taken, and decides the workflow's status and output. Its state is plain JSON
 * ({@link WorkflowConductor.toJSON}) and a conductor resumes from it with the same spec.
 *
 * @example
 * const conductor = WorkflowConductor.start(parseWorkflowSpec(yaml), { who: 'ops' });
 * for (const task of conductor.nextTasks()) {
 *   for (const action of task.actions) conductor.taskEvent(task.id, task.route, { status: 'running', item: action.item ?? undefined });
 * }
 */
export class WorkflowConductor {
  readonly spec: WorkflowSpec;
  readonly graph: WorkflowGraph;
  private readonly state: ConductorState;

  private readonly lookups: ConductorOptions;

  private constructor(spec: WorkflowSpec, state: ConductorState, lookups: ConductorOptions = {}) {
    this.spec = spec;
    this.state = state;
    this.graph = new WorkflowGraph(spec);
    this.lookups = lookups;
  }

  /** A new run: inputs rendered in order over their defaults, then vars; the start tasks staged. */
  static start(spec: WorkflowSpec, input: Record<string, unknown> = {}, options: ConductorOptions = {}): WorkflowConductor {
    const state: ConductorState = {
      version: 1, status: 'running', input: copyJson(input), contexts: [], routes: [], sequence: [], tasks: {}, staged: [], errors: [], output: null, itemResults: {},
    };
    const conductor = new WorkflowConductor(spec, state, options);
    const context: Record<string, unknown> = {};
    // Evaluated over a view with the datastore; the stored context holds the variables only.
    const view = () => conductor.withLookups(context);
    for (const entry of spec.input) {
      const given = Object.hasOwn(input, entry.name) ? input[entry.name] : entry.default;
      conductor.tryEvaluate(given, view(), (value) => { context[entry.name] = value; });
    }
    for (const [name, value] of spec.vars) conductor.tryEvaluate(value, view(), (rendered) => { context[name] = rendered; });
    if (state.status !== 'running') return conductor;
    state.contexts.push(context);
    state.routes.push([]);
    for (const root of conductor.graph.roots) state.staged.push({ id: root, route: 0, ctxs: { in: [0] }, prev: {}, ready: true });
    return conductor;
  }

  /** A run resumed from {@link toJSON}'s document, with the spec it started from. */
  static resume(spec: WorkflowSpec, state: ConductorState, options: ConductorOptions = {}): WorkflowConductor {
    if (state?.version !== 1) throw new ConductorError('the conductor state is not a version 1 document', { field: 'version' });
    return new WorkflowConductor(spec, copyJson(state), options);
  }

  /** The state as a plain JSON document. */
  toJSON(): ConductorState {
    return copyJson(this.state);
  }

  get status(): WorkflowStatus {
    return this.state.status;
  }

  /** Errors in Orquesta's log form: failed executions, expressions that failed, unreachable joins. */
  get errors(): readonly ConductorLogEntry[] {
    return this.state.errors;
  }

  /** The rendered output, once {@link renderOutput} ran on a completed workflow. */
  get output(): Record<string, unknown> | null {
    return this.state.output;
  }

  /**
   * Tasks to run now, sorted by name: each with its actions (one per item to start for a
   * with-items task, within its concurrency), rendered input and delay. A task whose rendering
   * fails is logged and fails the workflow, as Orquesta does, after every task was tried.
   */
  nextTasks(): ScheduledTask[] {
    let candidates = this.state.staged.filter((s) => s.ready && s.completed !== true);
    if (this.state.status === 'failed') candidates = candidates.filter((s) => s.run_on_fail === true);
    if (this.state.status !== 'running' && candidates.length === 0) return [];
    const out: ScheduledTask[] = [];
    let failed = false;
    for (const staged of candidates) {
      try {
        const fresh = staged.items === undefined;
        const task = renderTask(this.spec.tasks[staged.id], staged, this.taskContext(staged.id, staged.route, mergeContexts(this.state, staged.ctxs.in)));
        if (staged.retry !== undefined) task.delay = staged.retry.delay ?? 0;
        // A with-items task's result lists every item's result, null until that item ends.
        if (fresh && task.itemsCount !== null) this.state.itemResults[taskKey(staged.id, staged.route)] = Array.from({ length: task.itemsCount }, () => null);
        if (task.actions.length > 0 || task.itemsCount === 0) out.push(task);
      } catch (error) {
        failed = true;
        this.logError(error, staged.id, staged.route);
      }
    }
    if (failed) {
      this.failWorkflow();
      return [];
    }
    return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : a.route - b.route));
  }

  /** Records what happened to a task's action (or one of its items) and moves the workflow on. */
  taskEvent(taskId: string, route: number, event: TaskEvent): void {
    if (!this.graph.hasTask(taskId)) throw new ConductorError(`the workflow has no task "${taskId}"`, { field: 'task' });
    this.update(taskId, route, event.status, event.result, event.item, undefined);
  }

  /**
   * Runs a failed workflow again from its failed tasks, as Orquesta's `request_workflow_rerun`:
   * each task (by default every task whose last run failed without a transition taking over; or
   * those named) is staged again with the context it ran with, as a new run of it; what succeeded
   * is kept; the errors and output are cleared and the workflow is running again.
   * @throws ConductorError when the workflow did not fail, or a named task has no failed run.
   */
  rerun(taskIds?: readonly string[]): void {
    const state = this.state;
    if (state.status !== 'failed') throw new ConductorError(`only a failed workflow can be re-run from its tasks; this one is ${state.status}`, { field: 'status' });
    const latest = Object.values(state.tasks).map((i) => state.sequence[i] as TaskStateEntry);
    const failed = latest.filter((e) => e.status !== undefined && ABENDED_STATUSES.includes(e.status) && !Object.values(e.next).includes(true));
    let chosen = failed;
    if (taskIds !== undefined && taskIds.length > 0) {
      chosen = [];
      for (const id of taskIds) {
        if (!this.graph.hasTask(id)) throw new ConductorError(`the workflow has no task "${id}"`, { field: 'tasks' });
        const runs = latest.filter((e) => e.id === id && e.status !== undefined && ABENDED_STATUSES.includes(e.status));
        if (runs.length === 0) throw new ConductorError(`task "${id}" has no failed run to re-run`, { field: 'tasks' });
        chosen.push(...runs);
      }
    }
    if (chosen.length === 0) throw new ConductorError('the workflow has no failed task to re-run from', { field: 'tasks' });
    for (const entry of state.sequence) delete entry.term;
    for (const entry of chosen) {
      state.staged = state.staged.filter((s) => !(s.id === entry.id && s.route === entry.route));
      delete state.itemResults[taskKey(entry.id, entry.route)];
      state.staged.push({ id: entry.id, route: entry.route, ctxs: { in: [...entry.ctxs.in] }, prev: { ...entry.prev }, ready: true });
    }
    state.status = 'running';
    state.errors = [];
    state.output = null;
  }

  /**
   * Renders the output from the terminal tasks' contexts; a failure to render fails the workflow.
   * A workflow whose inputs or vars failed to render never started, and st2 leaves its output
   * unrendered (`workflows.request` stores a run that is already completed as it is).
   */
  renderOutput(): void {
    if (!COMPLETED_STATUSES.includes(this.state.status) || this.state.output !== null) return;
    if (this.state.contexts.length === 0) return;
    const context: ExpressionContext = this.withLookups({ ...this.terminalContext(), __state: this.statusView() });
    const outputs: Record<string, unknown> = {};
    let failed = false;
    for (const [name, value] of this.spec.output) {
      this.tryEvaluate(value, context, (rendered) => {
        context[name] = rendered;
        outputs[name] = rendered;
      }, () => { failed = true; });
    }
    if (Object.keys(outputs).length > 0) this.state.output = outputs;
    if (failed) this.state.status = 'failed';
  }

  /** The variables of the workflow's end: the terminal tasks' contexts merged, the first one whole. */
  terminalContext(): Record<string, unknown> {
    const terminal = this.state.sequence.filter((entry) => entry.term === true);
    if (terminal.length === 0) return {};
    let context = mergeContexts(this.state, (terminal[0] as TaskStateEntry).ctxs.in);
    for (const entry of terminal.slice(1)) context = { ...context, ...mergeContexts(this.state, entry.ctxs.in.filter((i) => i !== 0)) };
    return Object.fromEntries(Object.entries(context).filter(([k]) => !k.startsWith('__')));
  }

  private update(taskId: string, route: number, status: string, result: unknown, item: number | undefined, command: EngineCommand | undefined): void {
    const state = this.state;
    const task = this.spec.tasks[taskId];
    let staged = this.staged(taskId, route);
    let entry = this.entry(taskId, route);
    if (staged === undefined && entry === undefined) throw new ConductorError(`task "${taskId}" (route ${route}) was not scheduled`, { field: 'task' });
    const restart = () => {
      if (staged === undefined) throw new ConductorError(`task "${taskId}" (route ${route}) ended and was not scheduled again`, { field: 'task' });
      return this.addEntry(taskId, staged.route, staged.ctxs.in, staged.prev);
    };
    if (entry === undefined || (ENGINE_COMMANDS as readonly string[]).includes(taskId)) entry = restart();
    // A task that ended and starts again is a new run of a cycle.
    if (entry.status !== undefined && COMPLETED_STATUSES.includes(entry.status) && STARTING_STATUSES.includes(status)) entry = restart();
    if (staged !== undefined && staged.items === undefined) this.unstage(taskId, route);
    if (staged?.items !== undefined && item !== undefined) {
      staged.items[item] = { status };
      const key = taskKey(taskId, route);
      if (COMPLETED_STATUSES.includes(status)) (state.itemResults[key] ??= staged.items.map(() => null))[item] = result ?? null;
    }
    if (status === 'failed') this.log({ type: 'error', message: 'Execution failed. See result for details.', task_id: taskId, result });
    const before = entry.status ?? 'null';
    entry.status = nextTaskStatus(entry.status, status, item, staged, command);
    const after = entry.status ?? 'null';
    if (after === 'retrying' && entry.retry !== undefined) {
      entry.retry.tally += 1;
      this.unstage(taskId, route);
      state.staged.push({ id: taskId, route, ctxs: { in: entry.ctxs.in }, prev: entry.prev, retry: entry.retry, ready: true });
    }
    let current: ExpressionContext | undefined;
    if (COMPLETED_STATUSES.includes(after)) {
      if (!(task?.with !== undefined && ABENDED_STATUSES.includes(after))) this.unstage(taskId, route);
      else {
        staged = this.staged(taskId, route);
        if (staged !== undefined) staged.completed = true;
      }
      const taskResult = task?.with !== undefined ? (state.itemResults[taskKey(taskId, route)] ?? []) : result;
      entry.result = copyJson(taskResult ?? null);
      current = this.taskContext(taskId, entry.route, mergeContexts(state, entry.ctxs.in), taskResult);
      if (state.status === 'running' && this.shouldRetry(entry, current)) {
        this.update(taskId, route, 'retrying', undefined, undefined, 'retry');
        return;
      }
    }
    const commands: [string, number][] = [];
    if (current !== undefined && after !== before) {
      applyTransitions(this.machineView(), entry, current, commands);
    }
    applyTaskStatus(state, this.graph, taskId, route, entry.status ?? 'null', (e) => this.log(e));
    for (const [commandId, commandRoute] of commands) {
      const name = commandId as EngineCommand;
      this.update(commandId, commandRoute, name === 'fail' ? 'failed' : 'succeeded', undefined, undefined, name);
    }
    if (COMPLETED_STATUSES.includes(state.status)) entry.term = true;
  }

  /** The pieces of the conductor that transitions work on. */
  private machineView() {
    return {
      spec: this.spec,
      graph: this.graph,
      state: this.state,
      staged: (id: string, route: number) => this.staged(id, route),
      inboundStatus: (id: string, route: number) => inboundStatus(this.state, this.graph, id, route),
      logError: (error: unknown, taskId: string, route: number, transition: string) => this.logError(error, taskId, route, transition),
      failWorkflow: () => this.failWorkflow(),
    };
  }

  private shouldRetry(entry: TaskStateEntry, context: ExpressionContext): boolean {
    const retry = entry.retry;
    if (retry === undefined || retry.tally >= retry.count) return false;
    if (entry.status !== undefined && ABENDED_STATUSES.includes(entry.status) && retry.when === null) return true;
    return retry.when !== null && Boolean(evaluate(retry.when, context));
  }

  private taskContext(taskId: string, route: number, base: Record<string, unknown>, result?: unknown): ExpressionContext {
    const current: ExpressionContext['__current_task'] = { id: taskId, route };
    if (arguments.length > 3) current.result = result;
    return this.withLookups({ ...base, __current_task: current, __state: this.statusView() });
  }

  /** A context with the datastore lookup of this event, when there is one (never stored). */
  private withLookups<C extends Record<string, unknown>>(context: C): C & ExpressionContext {
    return this.lookups.st2kv === undefined ? context : { ...context, __st2kv: this.lookups.st2kv };
  }

  private statusView(): StatusView {
    const statuses: Record<string, string> = {};
    const results: Record<string, unknown> = {};
    for (const [key, index] of Object.entries(this.state.tasks)) {
      const entry = this.state.sequence[index];
      if (entry?.status !== undefined) statuses[key] = entry.status;
      if (entry !== undefined && Object.hasOwn(entry, 'result')) results[key] = entry.result;
    }
    return { statuses, results, routes: this.state.routes };
  }

  private entry(taskId: string, route: number): TaskStateEntry | undefined {
    return entryOf(this.state, taskId, route);
  }

  private staged(taskId: string, route: number): StagedTask | undefined {
    return this.state.staged.find((s) => s.id === taskId && s.route === route);
  }

  private unstage(taskId: string, route: number): void {
    const index = this.state.staged.findIndex((s) => s.id === taskId && s.route === route);
    if (index >= 0) this.state.staged.splice(index, 1);
  }

  private addEntry(taskId: string, route: number, ins: number[], prev: Record<string, number>): TaskStateEntry {
    const entry: TaskStateEntry = { id: taskId, route, ctxs: { in: ins.length > 0 ? [...ins] : [0] }, prev: { ...prev }, next: {} };
    const retry = this.graph.retries.get(taskId);
    if (retry !== undefined) {
      const context = mergeContexts(this.state, entry.ctxs.in);
      const count = typeof retry.count === 'string' ? evaluate(retry.count, context) : retry.count;
      const delay = typeof retry.delay === 'string' ? evaluate(retry.delay, context) : retry.delay;
      if (!Number.isInteger(delay ?? 0)) throw new ConductorError(`The retry delay for task "${taskId}" is not an integer.`, { field: `tasks.${taskId}.retry.delay` });
      if (!Number.isInteger(count)) throw new ConductorError(`The retry count for task "${taskId}" is not an integer.`, { field: `tasks.${taskId}.retry.count` });
      entry.retry = { when: retry.when, count: count as number, delay: delay as number | null, tally: 0 };
    }
    this.state.sequence.push(entry);
    this.state.tasks[taskKey(taskId, route)] = this.state.sequence.length - 1;
    return entry;
  }

  private tryEvaluate(value: unknown, context: Record<string, unknown>, use: (value: unknown) => void, onError?: () => void): void {
    try {
      use(evaluate(value, context));
    } catch (error) {
      if (!(error instanceof ExpressionFailure)) throw error;
      this.logError(error);
      if (onError === undefined) this.failWorkflow();
      else onError();
    }
  }

  private failWorkflow(): void {
    this.state.status = 'failed';
  }

  private logError(error: unknown, taskId?: string, route?: number, transition?: string): void {
    const message = error instanceof ExpressionFailure ? error.message : `${(error as Error).name}: ${(error as Error).message}`;
    const entry: ConductorLogEntry = { type: 'error', message };
    if (taskId !== undefined) entry.task_id = taskId;
    if (route !== undefined) entry.route = route;
    if (transition !== undefined) entry.task_transition_id = transition;
    this.log(entry);
  }

  private log(entry: ConductorLogEntry): void {
    // Orquesta leaves out a null result.
    if (entry.result === undefined || entry.result === null) delete entry.result;
    const same = JSON.stringify(entry);
    if (this.state.errors.some((e) => JSON.stringify(e) === same)) return;
    this.state.errors.push(copyJson(entry));
  }
}
