import { AttuneError } from '../errors/index.ts';

/** Where in a workflow definition a problem sits: `tasks.deploy.next[0].publish[1]`. */
export interface SpecProblem {
  /** The path in the definition, in Orquesta's `spec_path` form. */
  path: string;
  /** What is wrong, naming the task, field and expression. */
  message: string;
  /** The expression concerned, as written. */
  expression?: string;
  /** Orquesta's categories: `syntax` (shape), `expressions` (does not parse), `semantics` (graph), `context` (variables). */
  category: 'syntax' | 'expressions' | 'semantics' | 'context';
}

/** A workflow definition Orquesta would refuse; `problems` lists every one found, not only the first. */
export class WorkflowSpecError extends AttuneError {
  override name = 'WorkflowSpecError';
  readonly problems: readonly SpecProblem[];

  constructor(problems: readonly SpecProblem[], options: { cause?: unknown } = {}) {
    const first = problems[0];
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
    super(`invalid workflow: ${first === undefined ? 'no problem given' : `${first.path}: ${first.message}`}${more}`, {
      code: 'invalid_workflow',
      status: 400,
      field: first?.path,
      cause: options.cause,
    });
    this.problems = problems;
  }
}

/** The conductor was asked something its state cannot answer: an unknown task, an event for a task not scheduled. */
export class ConductorError extends AttuneError {
  override name = 'ConductorError';

  constructor(message: string, options: { field?: string; cause?: unknown } = {}) {
    super(message, { code: 'workflow_conductor', status: 409, field: options.field, cause: options.cause });
  }
}
