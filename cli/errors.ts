import { AttuneError } from '../engine/errors/index.ts';
/** Base of the CLI's errors: printed as `attune: <message>`, the process exits with `exitCode`. */
export class CliError extends AttuneError {
  override name = 'CliError';
  readonly exitCode: number = 1;
}

/** The command line itself is wrong (bad `k=v`, missing directory). Exit code 2, as shells expect. */
export class UsageError extends CliError {
  override name = 'UsageError';
  override readonly exitCode = 2;
}

/** The API answered with an error: its `{error:{code, message, field?}}`, shown as the message. */
export class ApiRequestFailed extends CliError {
  override name = 'ApiRequestFailed';
  constructor(status: number, code: string, message: string, field?: string) {
    const hint = status === 401 ? ' (set ATTUNE_API_KEY, or run from the project directory holding .attune/api-key)' : '';
    super(`${message}${field === undefined ? '' : ` [field: ${field}]`}${hint}`, { status, code, ...(field === undefined ? {} : { field }) });
  }
}

/** The API could not be reached at all. */
export class ApiUnreachable extends CliError {
  override name = 'ApiUnreachable';
  readonly url: string;
  constructor(url: string, cause: unknown) {
    const reason = cause instanceof Error ? ((cause.cause as Error | undefined)?.message ?? cause.message) : String(cause);
    super(`cannot reach the Attune API at ${url} (${reason}): is \`attune dev\` running, and is ATTUNE_URL right?`, { cause });
    this.url = url;
  }
}

/** `--timeout` passed before the execution finished; it keeps running. */
export class WaitTimedOut extends CliError {
  override name = 'WaitTimedOut';
  readonly id: string;
  constructor(id: string, seconds: number) {
    super(`execution ${id} did not finish within ${seconds}s; it keeps running (attune execution get ${id})`);
    this.id = id;
  }
}
