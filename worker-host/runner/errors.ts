import { AttuneError } from '../../engine/errors/index.ts';
/** Base of every error raised by the process runner module. */
export class RunnerError extends AttuneError {
  override name = 'RunnerError';
}

/**
 * The action's process could not be started (interpreter missing, cwd gone, not executable).
 * Not retryable: the same spec fails the same way.
 */
export class SpawnFailed extends RunnerError {
  override name = 'SpawnFailed';
  readonly command: string;
  constructor(command: string, cause: unknown) {
    super(`could not start ${command}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.command = command;
  }
}

/**
 * A stdout/stderr sink threw or rejected. The process group is killed first: without a sink the
 * output has nowhere to go, and letting the action run on unobserved breaks the log contract.
 */
export class SinkFailed extends RunnerError {
  override name = 'SinkFailed';
  readonly stream: 'stdout' | 'stderr';
  constructor(stream: 'stdout' | 'stderr', cause: unknown) {
    super(`${stream} sink failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.stream = stream;
  }
}

/** An action definition cannot be turned into a process: wrong runner, missing entry point or field. */
export class InvalidAction extends RunnerError {
  override name = 'InvalidAction';
  readonly action: string;
  declare readonly field: string;
  constructor(action: string, field: string, message: string) {
    super(`action ${action}: ${field}: ${message}`, { code: 'invalid_action', status: 400, field });
    this.action = action;
  }
}

/** An env var given to `minimalEnv` is reserved or may carry credentials (AWS_*, *SECRET*, …). */
export class UnsafeEnvironment extends RunnerError {
  override name = 'UnsafeEnvironment';
  readonly variable: string;
  constructor(variable: string, reason: string) {
    super(`refusing env var ${variable} for an action: ${reason}`);
    this.variable = variable;
  }
}

/** A request on the service channel that does not fit its operation; `field` names the argument. */
export class InvalidServiceRequest extends RunnerError {
  override name = 'InvalidServiceRequest';
  constructor(field: string, message: string) {
    super(message, { code: 'invalid_service_request', status: 400, field });
  }
}

/**
 * Actions cannot be run as unprivileged users here although isolation is asked for: the accounts
 * cannot be found or created, the claims directory is unsafe, or a uid's processes will not die.
 */
export class IsolationUnavailable extends RunnerError {
  override name = 'IsolationUnavailable';
  constructor(message: string, cause?: unknown) {
    super(message, { code: 'isolation_unavailable', status: 500, ...(cause === undefined ? {} : { cause }) });
  }
}
