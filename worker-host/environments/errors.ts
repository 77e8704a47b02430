import { AttuneError } from '../../engine/errors/index.ts';
/** Base of every error raised by the environments module. */
export class EnvironmentError extends AttuneError {
  override name = 'EnvironmentError';
}

/**
 * Which environment of a pack: its Python venv, its node_modules, or the st2 base its venv
 * extends (the packages StackStorm's python runner gives every action; see `st2-base.ts`).
 */
export type EnvironmentKind = 'python' | 'node' | 'st2-base';

const KIND_TEXT: Record<EnvironmentKind, string> = {
  python: 'Python environment (requirements.txt)',
  node: 'Node environment (package.json)',
  'st2-base': 'st2 base environment (the packages StackStorm gives every Python action)',
};

/**
 * Building a pack's environment failed: the installer exited non-zero, timed out, or could not
 * start. Nothing is cached, so the next `ensure` tries again (after the pack is fixed, or the
 * index is back). `outputTail` holds the installer's last lines, `requirement` the requirement
 * the installer named as failing when its output names one.
 */
export class EnvironmentBuildFailed extends EnvironmentError {
  override name = 'EnvironmentBuildFailed';
  readonly pack: string;
  readonly kind: EnvironmentKind;
  readonly outputTail: string;
  readonly requirement: string | undefined;
  constructor(pack: string, kind: EnvironmentKind, detail: string, outputTail: string, requirement?: string, cause?: unknown) {
    const what = KIND_TEXT[kind];
    const failing = requirement === undefined ? '' : `; failing requirement: ${requirement}`;
    const tail = outputTail === '' ? '' : `\n--- installer output (last lines) ---\n${outputTail}`;
    super(`pack ${pack}: building its ${what} failed: ${detail}${failing}${tail}`, cause === undefined ? undefined : { cause });
    this.pack = pack;
    this.kind = kind;
    this.outputTail = outputTail;
    this.requirement = requirement;
  }
}

/** The Python version a pack asks for (`python:` in pack.yaml) is not installed on this worker. */
export class InterpreterNotFound extends EnvironmentError {
  override name = 'InterpreterNotFound';
  readonly pack: string;
  readonly version: string;
  /** Every candidate tried, with why it did not fit (`not found`, `is 3.11.7`, …). */
  readonly searched: readonly string[];
  constructor(pack: string, version: string, searched: readonly string[]) {
    super(
      `pack ${pack}: expected a Python ${version} interpreter (pack.yaml python: "${version}"), found none; ` +
        `searched: ${searched.length === 0 ? '(nothing)' : searched.join('; ')}`,
    );
    this.pack = pack;
    this.version = version;
    this.searched = searched;
  }
}

/** Another process has held an environment's build lock for longer than any build may take. */
export class EnvironmentLockTimeout extends EnvironmentError {
  override name = 'EnvironmentLockTimeout';
  readonly lockPath: string;
  readonly holder: string;
  constructor(lockPath: string, holder: string, waitedMs: number) {
    super(`expected to acquire ${lockPath} within ${waitedMs} ms; still held by ${holder || 'an unknown process'}`);
    this.lockPath = lockPath;
    this.holder = holder;
  }
}
