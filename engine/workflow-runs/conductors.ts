import { ActionChainConductor, loadWorkflow, parseActionChainSpec, WorkflowConductor, type ActionChainSpec, type ChainState, type ConductorLogEntry, type ConductorOptions, type ScheduledTask, type TaskEvent, type WorkflowSpec } from '../workflows/index.ts';

/** The runners whose actions are workflows: their executions are driven by a conductor, not run by a worker. */
export const WORKFLOW_RUNNERS = ['orquesta', 'action-chain'] as const;
export type WorkflowRunner = (typeof WORKFLOW_RUNNERS)[number];

export function isWorkflowRunner(runner: string): runner is WorkflowRunner {
  return (WORKFLOW_RUNNERS as readonly string[]).includes(runner);
}

/**
 * What the workflow service asks of a conductor, whichever language the workflow is written in:
 * the tasks to run now, each task execution's status and result, the workflow's status, output
 * and errors, and the state as JSON to store between events.
 */
export interface Conductor {
  readonly status: 'running' | 'succeeded' | 'failed';
  readonly errors: readonly ConductorLogEntry[];
  readonly output: Record<string, unknown> | null;
  nextTasks(): ScheduledTask[];
  taskEvent(taskId: string, route: number, event: TaskEvent): void;
  renderOutput(): void;
  toJSON(): unknown;
  /** Orquesta only: a failed workflow runs again from its failed (or the named) tasks. */
  rerun?(tasks?: readonly string[]): void;
}

/** Who runs a workflow: st2's `action_context` of its tasks' templates. */
export interface WorkflowContext {
  executionId: string;
  action: string;
  pack: string;
  user: string;
}

/** A parsed definition: how to start or resume its conductor, and the result its runner stores at the end. */
export interface WorkflowDefinition {
  start(input: Record<string, unknown>, context: WorkflowContext, options?: ConductorOptions): Conductor;
  resume(state: unknown, options?: ConductorOptions): Conductor;
  /** The workflow execution's result once the conductor completed (its output rendered). */
  result(conductor: Conductor): unknown;
}

function orquesta(spec: WorkflowSpec): WorkflowDefinition {
  return {
    start: (input, _context, options) => WorkflowConductor.start(spec, input, options),
    resume: (state, options) => WorkflowConductor.resume(spec, state as Parameters<typeof WorkflowConductor.resume>[1], options),
    // As st2 stores an Orquesta workflow's result: the output (null when empty), the errors of a failed one.
    result: (conductor) => {
      const output = conductor.output !== null && Object.keys(conductor.output).length > 0 ? conductor.output : null;
      return { output, ...(conductor.status === 'failed' ? { errors: conductor.errors } : {}) };
    },
  };
}

function actionChain(spec: ActionChainSpec): WorkflowDefinition {
  return {
    start: (input, context) =>
      ActionChainConductor.start(spec, input, { actionContext: { execution_id: context.executionId, action: context.action, pack: context.pack, user: context.user } }),
    resume: (state) => ActionChainConductor.resume(spec, state as ChainState),
    // st2 stores an action chain's result as its output: `tasks`, `published`, and `error` when it failed.
    result: (conductor) => conductor.output,
  };
}

const parsers: Record<WorkflowRunner, (source: string) => WorkflowDefinition> = {
  orquesta: (source) => orquesta(loadWorkflow(source)),
  'action-chain': (source) => actionChain(parseActionChainSpec(source)),
};

/**
 * Parses and checks a workflow definition of a runner.
 * @throws WorkflowSpecError (or the runner's own spec error) listing every problem.
 */
export function parseDefinition(runner: WorkflowRunner, source: string): WorkflowDefinition {
  return parsers[runner](source);
}
