/**
 * The one root of every error Attune raises on purpose. Each carries a stable machine-readable
 * `code` and the HTTP status an edge answers it with, so the edges map errors by code, never by
 * class name: renaming a class cannot turn a 4xx into a 500.
 *
 * Subclasses set `name`, pass `cause`, and write messages for users: what was expected, what was
 * received, and which field, file or value is at fault (never a secret or a server path).
 *
 * @example
 * class UnknownAction extends AttuneError {
 *   override name = 'UnknownAction';
 *   constructor(ref: string) { super(`unknown action ${ref}`, { code: 'unknown_action', status: 404, field: 'action' }); }
 * }
 */
export class AttuneError extends Error {
  override name = 'AttuneError';
  /** Stable, documented identifier (`unknown_action`, `invalid_parameters`, ...). */
  readonly code: string;
  /** The HTTP status this error answers with at an edge; 500 for faults of the engine itself. */
  readonly status: number;
  /** The request field at fault, dotted (`parameters.count`), when one is. */
  readonly field: string | undefined;

  constructor(message: string, options: AttuneErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = options.code ?? 'internal';
    this.status = options.status ?? 500;
    this.field = options.field;
  }

  /** The message shown outside the process (an HTTP answer); subclasses drop what only the server may see. */
  get publicMessage(): string {
    return this.message;
  }

  /** Structured context an answer may carry beside the message (every issue of an invalid pack). */
  get details(): Record<string, unknown> | undefined {
    return undefined;
  }
}

export interface AttuneErrorOptions {
  code?: string;
  status?: number;
  field?: string;
  cause?: unknown;
}

/** True for errors that must not be retried: the input or configuration is wrong, not the moment. */
export function isClientError(err: unknown): err is AttuneError {
  return err instanceof AttuneError && err.status >= 400 && err.status < 500;
}
