import type { ArtifactStore } from '../artifacts/index.ts';
import { TERMINAL_STATUSES, TransitionRefused, type Execution, type ExecutionStore } from '../executions/index.ts';
import type { ExecutionLifecycle } from '../lifecycle/index.ts';
import { logFailure, type Log } from '../logging/index.ts';
import { METRIC, processMetrics } from '../metrics/index.ts';
import { SECRET_MASK, type Action } from '../packs/index.ts';
import type { KeyValueStore } from '../datastore/index.ts';
import type { ConductorOptions } from '../workflows/index.ts';
import type { Registry } from '../registry/index.ts';
import { unsealParameters, type SecretStore } from '../secrets/index.ts';
import type { ScheduledTask } from '../workflows/index.ts';
import { isWorkflowRunner, parseDefinition, type Conductor, type WorkflowDefinition } from './conductors.ts';
import { WorkflowDefinitionMissing, WorkflowStateTooLarge } from './errors.ts';
import type { WorkflowEvent } from './events.ts';
import { taskExecutionId } from './ids.ts';
import type { WorkflowRun, WorkflowRunStore } from './run-store.ts';
import { taskResultOf, taskStatusOf } from './task-results.ts';

/** A task execution to request: the engine validates and renders its parameters as for any run. */
export interface TaskRequest {
  id: string;
  action: string;
  input: Record<string, unknown>;
  parent: Execution;
  task: { id: string; route: number; item: number | null };
  /** A task's `delay`: it does not start before this time (ISO). */
  notBefore?: string;
}

/** What the workflow service works with. `requestTask` is the engine's request path for one task. */
export interface WorkflowServicePorts {
  executions: Pick<ExecutionStore, 'find' | 'get'>;
  runs: Pick<WorkflowRunStore, 'find' | 'save'>;
  registry: Pick<Registry, 'getAction'>;
  /** The datastore, for `st2kv()` in workflow expressions. */
  keyValues?: Pick<KeyValueStore, 'get'>;
  secrets: Pick<SecretStore, 'resolve' | 'readById' | 'prefix'>;
  artifacts: Pick<ArtifactStore, 'readResult' | 'readLog'>;
  lifecycle: Pick<ExecutionLifecycle, 'startWorkflow' | 'finish' | 'cancel' | 'markPaused' | 'markResumed'>;
  requestTask(request: TaskRequest): Promise<Execution>;
  log: Log;
  now?: () => number;
}

/** `st2kv('key')` / `st2kv("key")` with a literal key: the keys a definition can read. */
const ST2KV_CALL = /st2kv\(\s*(['"])([^'"]+)\1/g;

/** How many task executions one event requests at once. */
const REQUEST_CONCURRENCY = 16;

/** `fn` over `items`, at most `limit` at a time; the results in the items' order. */
async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T);
    }
  });
  await Promise.all(lanes);
  return results;
}

/** Loops of tasks that end at once (no action, refused requests) stop here rather than spin. */
const MAX_ROUNDS_PER_EVENT = 10_000;

/**
 * Advances workflow executions, one event at a time: a start creates the run and requests its
 * first tasks; a task execution's end is fed to the conductor, which says what runs next; a
 * cancel stops the tasks still active. Every task is an execution through the lifecycle's normal
 * path (policies, slots, secrets, logs). Events of one workflow arrive one at a time (a FIFO
 * group), and every write of the run is conditioned on the version read, so an event handled
 * twice (redelivery after a crash) requests the same task executions and never advances twice.
 */
export class WorkflowService {
  readonly #ports: WorkflowServicePorts;
  readonly #definitions = new Map<string, WorkflowDefinition>();

  constructor(ports: WorkflowServicePorts) {
    this.#ports = ports;
  }

  #now(): Date {
    return new Date(this.#ports.now?.() ?? Date.now());
  }

  /** Handles one event. Throws on a conflict or a store failure: the event is then delivered again. */
  async handle(event: WorkflowEvent): Promise<void> {
    switch (event.kind) {
      case 'start':
        return this.#start(event.workflow);
      case 'child-ended':
        return this.#childEnded(event.workflow, event.child);
      case 'cancel':
        return this.#cancel(event.workflow);
      case 'pause':
        return this.#pause(event.workflow);
      case 'resume':
        return this.#resume(event.workflow);
    }
  }

  async #definition(action: Action): Promise<WorkflowDefinition> {
    if (!isWorkflowRunner(action.runner_type) || action.workflow === undefined) throw new WorkflowDefinitionMissing(action.ref);
    const key = `${action.ref}\n${action.workflow}`;
    let definition = this.#definitions.get(key);
    if (definition === undefined) {
      definition = parseDefinition(action.runner_type, action.workflow);
      this.#definitions.set(key, definition);
    }
    return definition;
  }

  async #start(id: string): Promise<void> {
    const { executions, runs, lifecycle, registry } = this.#ports;
    const existing = await runs.find(id);
    if (existing) return this.#continue(existing);
    let execution = await executions.find(id);
    if (!execution || TERMINAL_STATUSES.includes(execution.status) || execution.status === 'canceling') return;
    const action = await registry.getAction(execution.action);
    let definition: WorkflowDefinition;
    try {
      if (!action) throw new Error(`action ${execution.action} is no longer registered`);
      definition = await this.#definition(action);
    } catch (err) {
      await this.#failBeforeStart(execution, (err as Error).message);
      return;
    }
    if (execution.status !== 'running') {
      const started = await lifecycle.startWorkflow(id);
      if (!started) return;
      execution = started;
    }
    let conductor: Conductor;
    try {
      conductor = execution.rerunTasks && execution.rerunOf
        ? await this.#rerunConductor(definition, execution.rerunOf, execution.rerunTasks)
        : definition.start(await unsealParameters(this.#ports.secrets, execution), { executionId: id, action: execution.action, pack: action?.pack ?? '', user: 'stanley' }, action ? await this.#lookups(action) : {});
    } catch (err) {
      await this.#failBeforeStart(execution, (err as Error).message);
      return;
    }
    const now = this.#now().toISOString();
    const run: WorkflowRun = {
      id, action: execution.action, runner: action?.runner_type as WorkflowRun['runner'], version: 0, status: 'running',
      started: 0, children: {}, active: [], state: '', createdAt: now, updatedAt: now,
    };
    await this.#advance(run, conductor, execution);
  }

  /** The conductor of a failed workflow, from its stored state, re-running the named tasks. */
  async #rerunConductor(definition: WorkflowDefinition, previousId: string, tasks: readonly string[]): Promise<Conductor> {
    const previous = await this.#ports.runs.find(previousId);
    if (!previous) throw new Error(`workflow ${previousId} has no stored state to re-run from`);
    const action = await this.#ports.registry.getAction(previous.action);
    const conductor = definition.resume(JSON.parse(previous.state), action ? await this.#lookups(action) : {});
    if (!conductor.rerun) throw new Error('only an orquesta workflow can be re-run from its tasks');
    conductor.rerun(tasks);
    return conductor;
  }

  /** A start delivered again after the run was created: whatever was left to do is done now. */
  async #continue(run: WorkflowRun): Promise<void> {
    if (run.status === 'ended') return;
    const execution = await this.#ports.executions.get(run.id);
    await this.#advance(run, await this.#resumeConductor(run), execution);
  }

  async #definitionOf(ref: string): Promise<WorkflowDefinition> {
    return (await this.#workflowAction(ref)).definition;
  }

  async #workflowAction(ref: string): Promise<{ action: Action; definition: WorkflowDefinition }> {
    const action = await this.#ports.registry.getAction(ref);
    if (!action) throw new WorkflowDefinitionMissing(ref);
    return { action, definition: await this.#definition(action) };
  }

  async #resumeConductor(run: WorkflowRun): Promise<Conductor> {
    const { action, definition } = await this.#workflowAction(run.action);
    return definition.resume(JSON.parse(run.state), await this.#lookups(action));
  }

  /**
   * The datastore keys a definition names in `st2kv('...')`, read for this event (expressions
   * evaluate synchronously): system keys as `system.<name>`, others in the user scope. The values
   * live in memory for the event only; a secret one is handed out only to `decrypt=true`.
   */
  async #lookups(action: Action): Promise<ConductorOptions> {
    const keyValues = this.#ports.keyValues;
    const names = new Set([...(action.workflow ?? '').matchAll(ST2KV_CALL)].map((m) => m[2] as string));
    if (keyValues === undefined || names.size === 0) return {};
    const found = new Map<string, { value: string; secret: boolean }>();
    await Promise.all(
      [...names].map(async (key) => {
        const system = key.startsWith('system.');
        const kv = await keyValues.get(system ? key.slice('system.'.length) : key, { scope: system ? 'system' : 'user', decrypt: true }).catch(() => undefined);
        if (kv !== undefined) found.set(key, { value: kv.value, secret: kv.secret });
      }),
    );
    return {
      st2kv: (key, decrypt) => {
        const kv = found.get(key);
        return kv === undefined ? { found: false } : { found: true, value: kv.secret && !decrypt ? SECRET_MASK : kv.value };
      },
    };
  }

  async #childEnded(workflowId: string, childId: string): Promise<void> {
    const { runs, executions } = this.#ports;
    const run = await runs.find(workflowId);
    if (!run || run.status === 'ended' || !run.active.includes(childId)) return;
    const ref = run.children[childId];
    const child = await executions.find(childId);
    if (!ref || !child || !TERMINAL_STATUSES.includes(child.status)) return;
    run.active = run.active.filter((c) => c !== childId);
    const conductor = await this.#resumeConductor(run);
    const workflow = await executions.get(workflowId);
    const status = taskStatusOf(child.status);
    if (status === undefined) {
      // A task execution canceled on its own cancels its workflow, as in StackStorm.
      if (run.status !== 'canceling') await this.#beginCancel(run, workflow);
    } else if (run.status !== 'canceling') {
      // While pausing or paused, an ending task still publishes: only new tasks wait for the resume.
      const result = await this.#taskResult(child);
      conductor.taskEvent(ref.task, ref.route, { status, result, ...(ref.item === null ? {} : { item: ref.item }) });
    }
    await this.#advance(run, conductor, workflow);
  }

  async #taskResult(child: Execution): Promise<unknown> {
    const runner = (await this.#ports.registry.getAction(child.action))?.runner_type;
    return taskResultOf(this.#ports.artifacts, child, runner);
  }

  async #pause(workflowId: string): Promise<void> {
    const run = await this.#ports.runs.find(workflowId);
    if (!run || run.status !== 'running') return;
    run.status = 'pausing';
    await this.#advance(run, await this.#resumeConductor(run), await this.#ports.executions.get(workflowId));
  }

  async #resume(workflowId: string): Promise<void> {
    const run = await this.#ports.runs.find(workflowId);
    if (!run || (run.status !== 'pausing' && run.status !== 'paused')) return;
    run.status = 'running';
    await this.#ports.lifecycle.markResumed(workflowId);
    await this.#advance(run, await this.#resumeConductor(run), await this.#ports.executions.get(workflowId));
  }

  async #cancel(workflowId: string): Promise<void> {
    const run = await this.#ports.runs.find(workflowId);
    if (!run || run.status === 'canceling' || run.status === 'ended') return;
    const workflow = await this.#ports.executions.get(workflowId);
    await this.#beginCancel(run, workflow);
    await this.#advance(run, await this.#resumeConductor(run), workflow);
  }

  /** Asks every active task execution to stop; the run ends once they all ended. */
  async #beginCancel(run: WorkflowRun, workflow: Execution): Promise<void> {
    run.status = 'canceling';
    if (!TERMINAL_STATUSES.includes(workflow.status) && workflow.status !== 'canceling') await this.#ports.lifecycle.cancel(workflow.id).catch(ignoreRefused);
    for (const child of run.active) await this.#ports.lifecycle.cancel(child).catch(ignoreRefused);
  }

  /**
   * Requests what the conductor says runs next, until nothing more starts now; ends the workflow
   * once it completed and no task execution is active; saves the run.
   */
  async #advance(run: WorkflowRun, conductor: Conductor, workflow: Execution): Promise<void> {
    processMetrics().count(METRIC.conductorSteps);
    for (let round = 0; run.status === 'running' && round < MAX_ROUNDS_PER_EVENT; round += 1) {
      const tasks = conductor.nextTasks();
      if (tasks.length === 0) break;
      await this.#startTasks(run, conductor, workflow, tasks);
    }
    if (run.active.length === 0 && (run.status === 'canceling' || conductor.status !== 'running')) {
      await this.#end(run, conductor);
    } else if (run.active.length === 0 && run.status === 'pausing') {
      run.status = 'paused';
      await this.#ports.lifecycle.markPaused(run.id);
    }
    run.state = JSON.stringify(conductor.toJSON());
    try {
      await this.#ports.runs.save(run, this.#now());
    } catch (err) {
      if (!(err instanceof WorkflowStateTooLarge)) throw err;
      await this.#ports.lifecycle.finish(run.id, { status: 'failed', error: err.message });
    }
  }

  /**
   * Starts the tasks of one round: each action marked running in the conductor and given its
   * task execution id, in order; the requests sent concurrently (a with-items fan-out is not
   * serialized on round trips); their outcomes fed back in order.
   */
  async #startTasks(run: WorkflowRun, conductor: Conductor, workflow: Execution, tasks: ScheduledTask[]): Promise<void> {
    const planned: { task: ScheduledTask; item: { item?: number }; request: TaskRequest | Error }[] = [];
    for (const task of tasks) {
      if (task.actions.length === 0 && task.itemsCount === 0) {
        // With-items over no items: the task succeeds at once with an empty result.
        conductor.taskEvent(task.id, task.route, { status: 'running' });
        conductor.taskEvent(task.id, task.route, { status: 'succeeded', result: [] });
        continue;
      }
      for (const scheduled of task.actions) {
        const item = scheduled.item === null ? {} : { item: scheduled.item };
        conductor.taskEvent(task.id, task.route, { status: 'running', ...item });
        if (scheduled.action === null || scheduled.action === undefined || scheduled.action === '') {
          // A task without an action only moves the workflow on.
          conductor.taskEvent(task.id, task.route, { status: 'succeeded', result: null, ...item });
          continue;
        }
        const id = taskExecutionId(run.id, run.started);
        run.started += 1;
        const input = scheduled.input === null || scheduled.input === undefined ? {} : scheduled.input;
        const notBefore = task.delay ? new Date(this.#now().getTime() + task.delay * 1000).toISOString() : undefined;
        const request: TaskRequest | Error =
          typeof input !== 'object' || Array.isArray(input)
            ? new Error(`the input of task "${task.id}" is not a mapping`)
            : { id, action: String(scheduled.action), input: input as Record<string, unknown>, parent: workflow, task: { id: task.id, route: task.route, item: scheduled.item }, ...(notBefore ? { notBefore } : {}) };
        planned.push({ task, item, request });
      }
    }
    const outcomes = await mapLimit(planned, REQUEST_CONCURRENCY, async ({ request }) => {
      if (request instanceof Error) return request;
      try {
        return await this.#ports.requestTask(request);
      } catch (err) {
        return err as Error;
      }
    });
    for (const [i, { task, item, request }] of planned.entries()) {
      const outcome = outcomes[i] as Execution | Error;
      if (outcome instanceof Error || request instanceof Error) {
        // An unknown action or parameters its schema refuses fail the task, as in StackStorm.
        const error = outcome instanceof Error ? outcome : (request as Error);
        conductor.taskEvent(task.id, task.route, { status: 'failed', result: { error: error.message }, ...item });
        continue;
      }
      run.children[request.id] = { task: task.id, route: task.route, item: request.task.item };
      if (TERMINAL_STATUSES.includes(outcome.status)) {
        // Created and ended before (a replayed event): its end is fed now, its event is a duplicate.
        const status = taskStatusOf(outcome.status) ?? 'failed';
        conductor.taskEvent(task.id, task.route, { status, result: await this.#taskResult(outcome), ...item });
      } else {
        run.active.push(request.id);
      }
    }
  }

  async #end(run: WorkflowRun, conductor: Conductor): Promise<void> {
    const { lifecycle } = this.#ports;
    const canceling = run.status === 'canceling';
    run.status = 'ended';
    if (canceling) {
      await lifecycle.finish(run.id, { status: 'canceled' });
      return;
    }
    conductor.renderOutput();
    const status = conductor.status === 'succeeded' ? 'succeeded' : 'failed';
    const result = (await this.#definitionOf(run.action)).result(conductor);
    const error = status === 'failed' ? (conductor.errors[0]?.message ?? 'the workflow failed') : undefined;
    await lifecycle.finish(run.id, { status, ...(result === undefined ? {} : { result }), ...(error ? { error } : {}) });
  }

  async #failBeforeStart(execution: Execution, message: string): Promise<void> {
    const started = execution.status === 'running' ? execution : await this.#ports.lifecycle.startWorkflow(execution.id);
    if (!started) return;
    await this.#ports.lifecycle.finish(execution.id, { status: 'failed', error: message }).catch(logFailure(this.#ports.log, 'could not fail a workflow that cannot start', { execution: execution.id }));
  }
}

function ignoreRefused(err: unknown): undefined {
  if (err instanceof TransitionRefused) return undefined;
  throw err;
}
