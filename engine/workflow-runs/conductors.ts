import { loadWorkflow, WorkflowConductor, type ConductorLogEntry, type ScheduledTask, type TaskEvent, type WorkflowSpec } from '../workflows/index.ts';

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
}

/** A parsed definition and how to start or resume its conductor. */
export interface WorkflowDefinition {
  start(input: Record<string, unknown>): Conductor;
  resume(state: unknown): Conductor;
}

function orquesta(spec: WorkflowSpec): WorkflowDefinition {
  return {
    start: (input) => WorkflowConductor.start(spec, input),
    resume: (state) => WorkflowConductor.resume(spec, state as Parameters<typeof WorkflowConductor.resume>[1]),
  };
}

const parsers: Record<WorkflowRunner, (source: string) => WorkflowDefinition> = {
  orquesta: (source) => orquesta(loadWorkflow(source)),
  'action-chain': () => {
    throw new Error('action-chain definitions are not supported yet');
  },
};

/**
 * Parses and checks a workflow definition of a runner.
 * @throws WorkflowSpecError (or the runner's own spec error) listing every problem.
 */
export function parseDefinition(runner: WorkflowRunner, source: string): WorkflowDefinition {
  return parsers[runner](source);
}
