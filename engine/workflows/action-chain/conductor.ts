import { ConductorError } from '../errors.ts';
import { copyJson } from '../state.ts';
import type { ActionStatus, ConductorLogEntry, WorkflowStatus } from '../state.ts';
import type { ScheduledTask } from '../task-render.ts';
import { paramsContext, publishContext, varsContext } from './context.ts';
import type { ChainLookups } from './context.ts';
import { MAX_CHAIN_NODE_RUNS } from './defaults.ts';
import { ValueRenderFailure, renderValues } from './render.ts';
import type { ActionChainSpec, ChainNode } from './spec.ts';
import type { ChainState, ChainStatus, ChainTaskRecord } from './state.ts';

/** What ended (or started) a node's action run. */
export interface ChainTaskEvent {
  status: ActionStatus;
  result?: unknown;
  /** The node's execution id and its times, for the `tasks` entry (null when not given). */
  executionId?: string;
  createdAt?: string;
  updatedAt?: string;
}

/** How a chain runs, fixed for the run and kept in its state. */
export interface ActionChainOptions extends ChainLookups {
  /** st2's parent context, seen as `action_context.parent`: `execution_id`, `user`, `pack`, ... */
  actionContext?: Record<string, unknown>;
  /** The runner parameter `display_published` (st2's default: true). */
  displayPublished?: boolean;
  /** How many node runs a chain may hand out before it is failed as an endless loop. */
  maxNodeRuns?: number;
}

// A node's name and a published key are the author's text: `__proto__` must be a key like any other.
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

// A node's execution status in st2's words: an expired run is st2's `timeout`.
const ST2_STATE: Record<string, string> = { succeeded: 'succeeded', failed: 'failed', expired: 'timeout', abandoned: 'abandoned' };

/**
 * StackStorm's action-chain runner as a pure state machine, with the surface of
 * {@link WorkflowConductor}: it hands out one node at a time with its parameters rendered, takes the
 * node's status and result, publishes, follows `on-success` / `on-failure`, and ends with st2's
 * status and result (`{tasks, published}`, plus `error` when the chain stopped on one). The chain's
 * status is that of the last node run, so a failure handled by an `on-failure` node that then
 * succeeds ends the chain `succeeded`, as in st2.
 *
 * Node parameters render as st2's `render_values` does: a template renders to a string, to be cast
 * to the action's parameter types when the action is requested (st2's `cast_params`).
 *
 * @example
 * const chain = ActionChainConductor.start(parseActionChainSpec(yaml), { host: 'web1' });
 * for (const task of chain.nextTasks()) chain.taskEvent(task.id, task.route, { status: 'running' });
 */
export class ActionChainConductor {
  readonly spec: ActionChainSpec;
  private readonly state: ChainState;
  private readonly lookups: ChainLookups;

  private constructor(spec: ActionChainSpec, state: ChainState, lookups: ChainLookups) {
    this.spec = spec;
    this.state = state;
    this.lookups = { ...(lookups.config !== undefined && { config: lookups.config }), ...(lookups.st2kv !== undefined && { st2kv: lookups.st2kv }) };
  }

  /** A new run: `vars` rendered over the parameters, then the default node made ready. */
  static start(spec: ActionChainSpec, input: Record<string, unknown> = {}, options: ActionChainOptions = {}): ActionChainConductor {
    const state: ChainState = {
      version: 1, kind: 'action-chain', status: 'running', chainStatus: 'running', parameters: copyJson(input),
      actionContext: copyJson(options.actionContext ?? {}), displayPublished: options.displayPublished ?? true,
      maxNodeRuns: options.maxNodeRuns ?? MAX_CHAIN_NODE_RUNS, vars: {}, results: {}, tasks: [], published: {},
      current: null, runs: 0, error: null, aborted: false, errors: [], output: null,
    };
    const conductor = new ActionChainConductor(spec, state, options);
    try {
      state.vars = copyJson(renderValues(spec.vars, varsContext(state.parameters, conductor.lookups)));
    } catch (error) {
      if (!(error instanceof ValueRenderFailure)) throw error;
      conductor.stop(`Failed initializing \`\`vars\`\` in chain.. Failed rendering value for var "${error.key}" (template string=${error.template}): ${error.reason}`);
      return conductor;
    }
    // st2 looks the default node up without failing: a default it cannot find (a Jinja
    // expression) runs nothing and the chain succeeds.
    if (conductor.node(spec.default) === undefined) conductor.finish('succeeded');
    else state.current = { name: spec.default, scheduled: false, running: false };
    return conductor;
  }

  /** A run resumed from {@link toJSON}'s document, with the spec it started from and the same lookups. */
  static resume(spec: ActionChainSpec, state: ChainState, lookups: ChainLookups = {}): ActionChainConductor {
    if (state?.version !== 1 || state.kind !== 'action-chain') throw new ConductorError('the state is not a version 1 action-chain document', { field: 'version' });
    const conductor = new ActionChainConductor(spec, copyJson(state), lookups);
    // A chain edited while it ran may have lost the node the state waits on.
    const waiting = conductor.state.current?.name;
    if (waiting !== undefined && conductor.node(waiting) === undefined) throw new ConductorError(`the chain has no node "${waiting}", which the stored run waits on`, { field: 'current' });
    return conductor;
  }

  /** The state as a plain JSON document. */
  toJSON(): ChainState {
    return copyJson(this.state);
  }

  get status(): WorkflowStatus {
    return this.state.status;
  }

  /** st2's own status for the chain, which tells `timeout` (the last node timed out) from `failed`. */
  get chainStatus(): ChainStatus {
    return this.state.chainStatus;
  }

  /** Why the chain failed: a failed last node, or st2's top-level error naming the node. */
  get errors(): readonly ConductorLogEntry[] {
    return this.state.errors;
  }

  /** st2's result of the chain execution, once {@link renderOutput} ran on a completed chain. */
  get output(): Record<string, unknown> | null {
    return this.state.output;
  }

  /** The result as st2 shows it while the chain runs (and at its end): the tasks so far, published values, error. */
  get result(): Record<string, unknown> {
    if (this.state.aborted) return { error: this.state.error };
    const result: Record<string, unknown> = { tasks: copyJson(this.state.tasks) };
    if (this.state.displayPublished) result['published'] = copyJson(this.state.published);
    if (this.state.error !== null) result['error'] = this.state.error;
    return result;
  }

  /**
   * The node to run now, with its parameters rendered, handed out once. A node whose parameters
   * fail to render fails the chain (the error names the node and the parameter) and nothing runs.
   */
  nextTasks(): ScheduledTask[] {
    const current = this.state.current;
    if (this.state.status !== 'running' || current === null || current.scheduled) return [];
    const node = this.node(current.name) as ChainNode;
    let input: Record<string, unknown>;
    try {
      input = renderValues(node.parameters, paramsContext(this.state, this.lookups));
    } catch (error) {
      if (!(error instanceof ValueRenderFailure)) throw error;
      this.stop(`Failed to run task "${node.name}". Parameter rendering failed.. Failed rendering value for action parameter "${error.key}" in task "${node.name}" (template string=${error.template}): ${error.reason}`, node.name);
      return [];
    }
    current.scheduled = true;
    this.state.runs += 1;
    return [{ id: node.name, route: 0, delay: null, actions: [{ action: node.ref, input, item: null }], itemsCount: null, concurrency: null, context: copyJson(this.state.vars) }];
  }

  /** Records what happened to the node handed out last, and moves the chain on when it ended. */
  taskEvent(taskId: string, route: number, event: ChainTaskEvent): void {
    if (this.node(taskId) === undefined) throw new ConductorError(`the chain has no node "${taskId}"`, { field: 'task' });
    const current = this.state.current;
    if (current?.name !== taskId || !current.scheduled || route !== 0) throw new ConductorError(`node "${taskId}" (route ${route}) was not scheduled`, { field: 'task' });
    if (event.status === 'running') {
      current.running = true;
      return;
    }
    const state = ST2_STATE[event.status];
    if (state === undefined) throw new ConductorError(`"${String(event.status)}" is not a status of a node's run`, { field: 'status' });
    this.complete(this.node(taskId) as ChainNode, state, event);
  }

  /** Sets {@link output} to st2's result once the chain completed; calling it again changes nothing. */
  renderOutput(): void {
    if (this.state.status === 'running' || this.state.output !== null) return;
    this.state.output = this.result;
  }

  private complete(node: ChainNode, state: string, event: ChainTaskEvent): void {
    const s = this.state;
    setOwn(s.results, node.name, copyJson(event.result ?? null));
    let publishFailure: string | null = null;
    if (node.publish !== null) {
      // st2 publishes after every run that returned, a failed one too.
      try {
        const published = copyJson(renderValues(node.publish, publishContext(s, node.name, this.lookups)));
        for (const [key, value] of Object.entries(published)) {
          setOwn(s.vars, key, value);
          if (s.displayPublished) setOwn(s.published, key, copyJson(value));
        }
      } catch (error) {
        if (!(error instanceof ValueRenderFailure)) throw error;
        publishFailure = `Failed rendering value for publish parameter "${error.key}" in task "${node.name}" (template string=${error.template}): ${error.reason}`;
      }
    }
    s.tasks.push(this.record(node, state, event));
    s.current = null;
    if (publishFailure !== null) {
      // In st2 this error escapes the runner, whose result is then only the error.
      s.aborted = true;
      this.stop(publishFailure, node.name);
      return;
    }
    const succeeded = state === 'succeeded';
    s.chainStatus = succeeded ? 'succeeded' : state === 'timeout' ? 'timeout' : 'failed';
    const next = succeeded ? node.onSuccess : node.onFailure;
    if (next === null) {
      if (!succeeded) this.log({ type: 'error', message: `Execution ${state === 'timeout' ? 'timed out' : 'failed'}. See result for details.`, task_id: node.name, ...(event.result !== undefined && event.result !== null && { result: copyJson(event.result) }) });
      this.finish(s.chainStatus);
      return;
    }
    if (this.node(next) === undefined) {
      this.stop(`Failed to get next node "${node.name}".. Unable to find node with name "${next}".`, node.name);
      return;
    }
    if (s.runs >= s.maxNodeRuns) {
      this.stop(`Failed to run task "${next}". The chain already ran ${s.maxNodeRuns} nodes, the most one chain may run; it looks like an endless loop of on-success / on-failure.`, next);
      return;
    }
    s.current = { name: next, scheduled: false, running: false };
  }

  private record(node: ChainNode, state: string, event: ChainTaskEvent): ChainTaskRecord {
    return {
      id: node.name, name: node.name, execution_id: event.executionId ?? null, liveaction_id: event.executionId ?? null, workflow: null,
      created_at: event.createdAt ?? null, updated_at: event.updatedAt ?? null, state, result: copyJson(event.result ?? null),
    };
  }

  private node(name: string): ChainNode | undefined {
    // st2's get_node: the first node of that name.
    return this.spec.nodes.find((n) => n.name === name);
  }

  /** Ends the chain on st2's top-level error. */
  private stop(message: string, taskId?: string): void {
    this.state.error = message;
    this.log({ type: 'error', message, ...(taskId !== undefined && { task_id: taskId }) });
    this.finish('failed');
  }

  private finish(status: Exclude<ChainStatus, 'running'>): void {
    this.state.chainStatus = status;
    this.state.status = status === 'succeeded' ? 'succeeded' : 'failed';
    this.state.current = null;
  }

  private log(entry: ConductorLogEntry): void {
    this.state.errors.push(entry);
  }
}
