import { AttuneError } from '../errors/index.ts';
import type { ExecutionStatus } from './model.ts';

/** Base of the execution store's errors. */
export class ExecutionError extends AttuneError {
  override name = 'ExecutionError';
}

export class ExecutionNotFound extends ExecutionError {
  override name = 'ExecutionNotFound';
  override readonly code = 'not_found';
  override readonly status = 404;
  readonly id: string;
  constructor(id: string) {
    super(`execution ${id} not found`);
    this.id = id;
  }
}

/** A list cursor that no previous page returned (HTTP 400, field "cursor"). */
export class InvalidCursor extends ExecutionError {
  override name = 'InvalidCursor';
  override readonly code = 'invalid_request';
  override readonly status = 400;
  override readonly field = 'cursor';
  constructor() {
    super('cursor: not a cursor returned by a previous page');
  }
}

/** An execution with this id exists already (idempotent create: the caller reads it back). */
export class ExecutionExists extends ExecutionError {
  override name = 'ExecutionExists';
  override readonly code = 'exists';
  override readonly status = 409;
  readonly id: string;
  constructor(id: string) {
    super(`execution ${id} exists already`);
    this.id = id;
  }
}

/** A conditional transition found the execution in another status. Not retryable as is. */
export class TransitionRefused extends ExecutionError {
  override name = 'TransitionRefused';
  override readonly code = 'conflict';
  override readonly status = 409;
  readonly id: string;
  readonly to: ExecutionStatus;
  readonly actual: ExecutionStatus | undefined;
  constructor(id: string, to: ExecutionStatus, actual: ExecutionStatus | undefined) {
    super(`execution ${id} cannot become ${to} from ${actual ?? 'a missing record'}`);
    this.id = id;
    this.to = to;
    this.actual = actual;
  }
}

/**
 * For `.catch()` after a conditional transition that may lose a race harmlessly: swallows
 * TransitionRefused (someone else moved the execution first), rethrows anything else.
 */
export function ignoreRefused(err: unknown): undefined {
  if (err instanceof TransitionRefused) return undefined;
  throw err;
}

/** Only a workflow execution can be paused or resumed (HTTP 400, field "id"). */
export class NotAWorkflow extends AttuneError {
  override name = 'NotAWorkflow';

  constructor(id: string, verb: 'paused' | 'resumed') {
    super(`execution ${id} is not a workflow: only a workflow can be ${verb}`, { code: 'not_a_workflow', status: 400, field: 'id' });
  }
}
