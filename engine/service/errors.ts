/** Base of the engine service's errors. */
export class EngineError extends Error {
  override name = 'EngineError';
}

/** No registered action has this ref (HTTP 404). */
export class UnknownAction extends EngineError {
  override name = 'UnknownAction';
  readonly action: string;
  constructor(action: string) {
    super(`unknown action "${action}"`);
    this.action = action;
  }
}

/** The action exists but is disabled (HTTP 400, field "action"). */
export class ActionDisabled extends EngineError {
  override name = 'ActionDisabled';
  readonly action: string;
  constructor(action: string) {
    super(`action "${action}" is disabled`);
    this.action = action;
  }
}

/** A pack bundle that is not a gzip tar or holds no pack.yaml (HTTP 400). */
export class InvalidBundle extends EngineError {
  override name = 'InvalidBundle';
}
