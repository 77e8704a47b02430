import { AttuneError } from '../errors/index.ts';

/**
 * One problem found in a pack. `file` is relative to the pack root (`actions/echo.yaml`); `field`
 * is the dotted path inside that file (`parameters.count.type`); `line` is set for YAML syntax errors.
 */
export interface PackIssue {
  file: string;
  field?: string;
  line?: number;
  message: string;
}

/** `actions/echo.yaml: parameters.count.type: expected one of …` or `actions/x.yaml: line 3: …`. */
export function formatPackIssue(issue: PackIssue): string {
  const where = issue.line !== undefined ? `line ${issue.line}` : issue.field;
  return where ? `${issue.file}: ${where}: ${issue.message}` : `${issue.file}: ${issue.message}`;
}

/** Base of every error raised by the packs module. */
export class PackError extends AttuneError {
  override name = 'PackError';
}

/** A pack failed to load; `issues` lists every problem found in it, not just the first. */
export class PackValidationError extends PackError {
  override name = 'PackValidationError';
  override readonly code = 'invalid_pack';
  override readonly status = 400;
  /** The pack's ref, or the directory's name when pack.yaml gives none. */
  readonly pack: string;
  /** The pack's directory (absolute). */
  readonly dir: string;
  readonly issues: PackIssue[];
  constructor(pack: string, dir: string, issues: PackIssue[], options?: { cause?: unknown }) {
    const count = issues.length === 1 ? '1 issue' : `${issues.length} issues`;
    super(`pack ${pack} (${dir}) is invalid, ${count}:\n${issues.map((i) => `  ${formatPackIssue(i)}`).join('\n')}`, options);
    this.pack = pack;
    this.dir = dir;
    this.issues = issues;
  }

  /** Without the directory: it is a server path when the pack came as an uploaded bundle. */
  override get publicMessage(): string {
    const count = this.issues.length === 1 ? '1 issue' : `${this.issues.length} issues`;
    return `pack ${this.pack} is invalid, ${count}:\n${this.issues.map((i) => `  ${formatPackIssue(i)}`).join('\n')}`;
  }

  override get details(): Record<string, unknown> {
    return { issues: this.issues };
  }
}

/** One rejected execution parameter; `parameter` is '' when the parameters as a whole are wrong. */
export interface ParameterIssue {
  parameter: string;
  message: string;
}

/** Execution parameters do not satisfy the action's parameter schema. Not retryable. */
export class ParameterValidationError extends PackError {
  override name = 'ParameterValidationError';
  override readonly code = 'invalid_parameters';
  override readonly status = 400;
  /** The action's ref. */
  readonly action: string;
  /** The first parameter at fault (what an HTTP 400 names as `field`). */
  readonly parameter: string;
  readonly issues: ParameterIssue[];
  constructor(action: string, issues: ParameterIssue[]) {
    const detail = issues.map((i) => (i.parameter ? `${i.parameter}: ${i.message}` : i.message)).join('; ');
    const first = issues[0]?.parameter ?? '';
    super(`invalid parameters for action ${action}: ${detail}`, { field: first === '' ? 'parameters' : `parameters.${first}` });
    this.action = action;
    this.parameter = issues[0]?.parameter ?? '';
    this.issues = issues;
  }
}

/** One rejected config key; `field` is its dotted path ('' when the config as a whole is wrong). */
export interface ConfigIssue {
  field: string;
  message: string;
}

/** An operator's pack config does not satisfy the pack's `config.schema.yaml`. Not retryable. */
export class PackConfigInvalid extends PackError {
  override name = 'PackConfigInvalid';
  override readonly code = 'invalid_config';
  override readonly status = 400;
  readonly pack: string;
  readonly issues: ConfigIssue[];
  constructor(pack: string, issues: ConfigIssue[]) {
    const detail = issues.map((i) => (i.field ? `config.${i.field}: ${i.message}` : `config: ${i.message}`)).join('; ');
    const first = issues[0]?.field ?? '';
    super(`config for pack ${pack} is invalid: ${detail}`, { field: first === '' ? 'config' : `config.${first}` });
    this.pack = pack;
    this.issues = issues;
  }

  override get details(): Record<string, unknown> {
    return { issues: this.issues.map((i) => ({ field: i.field ? `config.${i.field}` : 'config', message: i.message })) };
  }
}
