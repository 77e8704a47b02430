import { chown, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ACTION_LOCALE, ACTION_PATH } from './defaults.ts';
import { UnsafeEnvironment } from './errors.ts';

/** Per-execution scratch directories: HOME and TMPDIR of the action, removed afterwards. */
export interface ActionScratch {
  /** The directory holding both; removing it removes everything the action left behind. */
  readonly root: string;
  readonly home: string;
  readonly tmp: string;
  /** Removes the scratch tree. Safe to call twice. */
  dispose(): Promise<void>;
}

/** Inputs of {@link minimalEnv}. */
export interface MinimalEnvOptions {
  /** HOME of the action: a per-execution directory, so actions never see the worker's dotfiles. */
  home: string;
  /** TMPDIR of the action; defaults to `home`. */
  tmpDir?: string;
  /** Directories put before the system PATH (a pack venv's `bin`, node_modules/.bin). */
  pathPrefix?: readonly string[];
  /** Name of the account the action runs as: `USER` and `LOGNAME` (Python's `getpass.getuser()`). */
  user?: string;
  /** Explicit non-secret extras (`ATTUNE_EXECUTION_ID`, …). Checked by {@link assertSafeEnvName}. */
  extra?: Readonly<Record<string, string>>;
}

const RESERVED = new Set(['PATH', 'HOME', 'TMPDIR', 'LANG', 'LC_ALL', 'USER', 'LOGNAME']);
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
// Names that conventionally carry credentials. A value is never inspected: the rule is that
// secrets travel on stdin, so a name that looks like one is refused before it can leak.
const CREDENTIAL_NAME = /^AWS_|SECRET|TOKEN|PASSW|CREDENTIAL|API_?KEY|PRIVATE|SESSION/i;

/**
 * Throws {@link UnsafeEnvironment} unless `name` may be given to an action as an extra env var.
 * Refused: malformed names, the names {@link minimalEnv} owns, and credential-like names (AWS_*,
 * *SECRET*, *TOKEN*, *PASSWORD*, *API_KEY*, …).
 */
export function assertSafeEnvName(name: string): void {
  if (!NAME.test(name)) throw new UnsafeEnvironment(name, 'expected [A-Za-z_][A-Za-z0-9_]*');
  if (RESERVED.has(name)) throw new UnsafeEnvironment(name, 'set by the runner itself');
  if (CREDENTIAL_NAME.test(name)) {
    throw new UnsafeEnvironment(name, 'looks like a credential; secrets travel on stdin, never in env');
  }
}

/**
 * The whole environment of an action: PATH, LANG/LC_ALL, HOME, TMPDIR and the given extras.
 * Nothing is inherited from `process.env`, so the worker's AWS credentials and settings never
 * reach user code.
 *
 * @example
 * const scratch = await createActionScratch();
 * const env = minimalEnv({ home: scratch.home, tmpDir: scratch.tmp, extra: { ATTUNE_EXECUTION_ID: id } });
 */
export function minimalEnv(options: MinimalEnvOptions): Record<string, string> {
  const env: Record<string, string> = {
    PATH: [...(options.pathPrefix ?? []), ACTION_PATH].join(':'),
    LANG: ACTION_LOCALE,
    LC_ALL: ACTION_LOCALE,
    HOME: options.home,
    TMPDIR: options.tmpDir ?? options.home,
    ...(options.user === undefined ? {} : { USER: options.user, LOGNAME: options.user }),
  };
  for (const [name, value] of Object.entries(options.extra ?? {})) {
    assertSafeEnvName(name);
    env[name] = value;
  }
  return env;
}

/**
 * Creates `<os tmpdir>/attune-exec-XXXXXX/{home,tmp}` (mode 0700) for one execution, owned by
 * `owner` when the action runs as an account of its own: private to that run, writable by it.
 *
 * @example
 * const scratch = await createActionScratch();
 * try { ...run... } finally { await scratch.dispose(); }
 */
export async function createActionScratch(parent: string = tmpdir(), owner?: { uid: number; gid: number }): Promise<ActionScratch> {
  const root = await mkdtemp(join(parent, 'attune-exec-'));
  const home = join(root, 'home');
  const tmp = join(root, 'tmp');
  await mkdir(home, { mode: 0o700 });
  await mkdir(tmp, { mode: 0o700 });
  if (owner !== undefined) {
    for (const dir of [root, home, tmp]) await chown(dir, owner.uid, owner.gid);
  }
  return {
    root,
    home,
    tmp,
    dispose: () => rm(root, { recursive: true, force: true }),
  };
}
