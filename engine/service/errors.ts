import { AttuneError } from '../errors/index.ts';

/** Base of the engine service's errors. */
export class EngineError extends AttuneError {
  override name = 'EngineError';
}

/** No registered action has this ref (HTTP 404). */
export class UnknownAction extends EngineError {
  override name = 'UnknownAction';
  override readonly code = 'unknown_action';
  override readonly status = 404;
  override readonly field = 'action';
  readonly action: string;
  constructor(action: string) {
    super(`unknown action "${action}"`);
    this.action = action;
  }
}

/** The action exists but is disabled (HTTP 400, field "action"). */
export class ActionDisabled extends EngineError {
  override name = 'ActionDisabled';
  override readonly code = 'action_disabled';
  override readonly status = 400;
  override readonly field = 'action';
  readonly action: string;
  constructor(action: string) {
    super(`action "${action}" is disabled`);
    this.action = action;
  }
}

/** The action's runner is one Attune does not have (HTTP 400, field "action"); the message says which. */
export class ActionUnsupported extends EngineError {
  override name = 'ActionUnsupported';
  override readonly code = 'action_unsupported';
  override readonly status = 400;
  override readonly field = 'action';
  readonly action: string;
  constructor(action: string, why: string) {
    super(`action "${action}" cannot run: ${why}`);
    this.action = action;
  }
}

/** A pack bundle that is not a gzip tar or holds no pack.yaml (HTTP 400). */
export class InvalidBundle extends EngineError {
  override name = 'InvalidBundle';
  override readonly code = 'invalid_bundle';
  override readonly status = 400;
}

/** No registered pack has this ref (HTTP 404). */
export class UnknownPack extends EngineError {
  override name = 'UnknownPack';
  override readonly code = 'unknown_pack';
  override readonly status = 404;
  override readonly field = 'pack';
  readonly pack: string;
  constructor(pack: string) {
    super(`unknown pack "${pack}"`);
    this.pack = pack;
  }
}

/** A re-run that cannot be made as asked (HTTP 409, field "tasks"): the message says why. */
export class RerunRefused extends EngineError {
  override name = 'RerunRefused';
  override readonly code = 'rerun_refused';
  override readonly status = 409;
  override readonly field = 'tasks';
}
