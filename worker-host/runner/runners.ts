import { isAbsolute, join, relative, resolve } from 'node:path';
import { DEFAULT_PYTHON, NODE_TIMEOUT_MS, PYTHON_TIMEOUT_MS, SHELL_TIMEOUT_MS } from './defaults.ts';
import { InvalidAction } from './errors.ts';
import type { ProcessSpec } from './process-runner.ts';
import { pythonStr } from './python-text.ts';
import { actionNode, wrappersDir } from './wrappers-dir.ts';

/** Runner types (StackStorm's names). All but `http-request` run as a process. */
export type RunnerType = 'local-shell-cmd' | 'local-shell-script' | 'python-script' | 'nodejs' | 'http-request';

/** The runner types {@link buildInvocation} turns into a process. */
export type ProcessRunnerType = Exclude<RunnerType, 'http-request'>;

/** The part of a parameter's metadata (`actions/<name>.yaml`) that shapes an invocation. */
export interface ParameterMeta {
  type?: string;
  /** st2: the parameter is passed to a shell script as positional argument number `position`. */
  position?: number;
  /** st2: the value is secret. Never put in argv; shell actions read it through `attune-secret`. */
  secret?: boolean;
}

/** What {@link buildInvocation} needs to know about an action. */
export interface RunnableAction {
  /** `pack.name`, for error messages. */
  ref: string;
  runnerType: RunnerType;
  /** Path of the code, relative to the pack's `actions/` directory (as in st2). */
  entryPoint?: string;
  parameters?: Readonly<Record<string, ParameterMeta>>;
  /** Overrides the runner's default timeout; a `timeout` parameter (st2 runner parameter) wins. */
  timeoutSeconds?: number;
}

/** The document written to the wrapper's stdin (see docs/packs.md, "Action I/O"). */
export interface ActionInput {
  execution: { id: string; action: string };
  parameters: Record<string, unknown>;
  secrets: Record<string, unknown>;
  config: Record<string, unknown>;
}

/** Where and with what environment the action runs. */
export interface InvocationContext {
  /** The pack's root directory (holding `pack.yaml` and `actions/`). */
  packDir: string;
  /** Working directory of the action, usually the execution's scratch home. */
  cwd: string;
  /** The complete env of the action, from `minimalEnv`. */
  env: Readonly<Record<string, string>>;
}

/** Interpreters and wrapper location. The Python one is the pack's venv python once it has one. */
export interface Interpreters {
  python: string;
  node: string;
  wrappersDir: string;
}

/**
 * st2's python runner parameters (`python_runner/runner.yaml`): they configure the runner, so
 * `run()` never receives them, even when the action declares them.
 */
const PYTHON_RUNNER_PARAMETERS = new Set(['debug', 'content_version', 'env', 'timeout', 'log_level']);

/** st2 runner parameters of the local runners: they configure the runner, never reach the script. */
const RUNNER_PARAMETERS = new Set(['cmd', 'cwd', 'env', 'kwarg_op', 'sudo', 'sudo_password', 'timeout']);

const DEFAULT_TIMEOUT_MS: Record<ProcessRunnerType, number> = {
  'local-shell-cmd': SHELL_TIMEOUT_MS,
  'local-shell-script': SHELL_TIMEOUT_MS,
  'python-script': PYTHON_TIMEOUT_MS,
  nodejs: NODE_TIMEOUT_MS,
};

/** `python3`, this Node binary, and the wrappers beside this module (`worker-host/wrappers`). */
export function defaultInterpreters(): Interpreters {
  return {
    python: DEFAULT_PYTHON,
    node: actionNode(),
    wrappersDir: wrappersDir(),
  };
}

/**
 * Turns an action and its input into a {@link ProcessSpec} for `runProcess`. Its env is
 * `context.env` plus StackStorm's `ST2_ACTION_*` variables ({@link st2ActionEnv}).
 * - `python-script`: `<python> -u wrappers/python/attune_wrapper.py --pack-dir <pack> [--log-level <level>] <entry>`
 *   (the pack dir puts `actions/lib` on the import path; st2's `log_level` runner parameter sets
 *   the level of the action's logger and, like `timeout`, never reaches `run()`); every declared
 *   parameter without a value reaches `run()` as None, as in st2;
 * - `nodejs`: `<node> wrappers/node/attune-wrapper.mjs <entry>`;
 * - `local-shell-cmd`: `<node> wrappers/shell/attune-shell-wrapper.mjs --cmd` (runs `parameters.cmd`);
 * - `local-shell-script`: `<node> wrappers/shell/attune-shell-wrapper.mjs <entry> <script args>`,
 *   the script args built from the non-secret parameters by {@link scriptArguments}; secret
 *   parameters join `secrets` so the script reads them with `attune-secret`.
 * Throws {@link InvalidAction} for `http-request` (in-process: `runHttpRequest`), a missing entry
 * point, or one that leaves the pack directory.
 *
 * @example
 * const spec = buildInvocation(action, input, { packDir, cwd: scratch.home, env: minimalEnv({ home: scratch.home }) });
 * const outcome = await runProcess(spec, sinks);
 */
export function buildInvocation(
  action: RunnableAction,
  input: ActionInput,
  context: InvocationContext,
  interpreters: Interpreters = defaultInterpreters(),
): ProcessSpec {
  const runner = action.runnerType;
  if (runner === 'http-request') {
    throw new InvalidAction(action.ref, 'runner_type', 'http-request runs in-process (runHttpRequest), not as a process');
  }
  const wrapper = (...parts: string[]): string => join(interpreters.wrappersDir, ...parts);
  const base = { cwd: context.cwd, env: { ...context.env, ...st2ActionEnv(input) }, timeoutMs: timeoutMs(action, input, runner) };
  switch (runner) {
    case 'python-script': {
      const logLevel = input.parameters['log_level'];
      const options = ['--pack-dir', resolve(context.packDir), ...(typeof logLevel === 'string' && logLevel !== '' ? ['--log-level', logLevel] : [])];
      return {
        ...base,
        command: interpreters.python,
        args: ['-u', wrapper('python', 'attune_wrapper.py'), ...options, entryPath(action, context)],
        stdin: JSON.stringify({ ...input, parameters: pythonParameters(action, input.parameters) }),
      };
    }
    case 'nodejs':
      return { ...base, command: interpreters.node, args: [wrapper('node', 'attune-wrapper.mjs'), entryPath(action, context)], stdin: JSON.stringify(withoutRunnerTimeout(input)) };
    case 'local-shell-cmd':
      if (typeof input.parameters['cmd'] !== 'string' || input.parameters['cmd'] === '') {
        throw new InvalidAction(action.ref, 'parameters.cmd', 'expected a non-empty string for local-shell-cmd');
      }
      return { ...base, command: interpreters.node, args: [wrapper('shell', 'attune-shell-wrapper.mjs'), '--cmd'], stdin: JSON.stringify(shellInput(action, input)) };
    case 'local-shell-script': {
      const kwargOp = typeof input.parameters['kwarg_op'] === 'string' ? input.parameters['kwarg_op'] : '--';
      const args = scriptArguments(input.parameters, action.parameters ?? {}, kwargOp);
      return {
        ...base,
        command: interpreters.node,
        args: [wrapper('shell', 'attune-shell-wrapper.mjs'), entryPath(action, context), ...args],
        stdin: JSON.stringify(shellInput(action, input)),
      };
    }
  }
}

/**
 * st2's arguments for a shell script (its `ShellScriptAction` and `action_db.get_args`):
 * - named: every parameter without a `position`, in the order given, as `<kwarg_op><name>=<value>`
 *   with `value` as Python's `str()` prints it (`--list=['a', 'b']`, `--flag_map={'k': 1}`);
 *   `true` is a bare `--name`, `false`, null and '' are left out;
 * - positional: one argument per parameter of the action declaring a `position`, in position
 *   order, *present or not* (an absent one is `''`, so the others keep their places), after the
 *   named ones, serialized by the declared `type`: string/number `''` for null else the text;
 *   boolean `1`/`0`; array comma-joined (`''` when empty); object compact JSON (`''` when empty);
 *   any other type the text, `''` for a falsy value (st2's rule, so an integer 0 is `''`).
 * Unlike st2, secret parameters never reach argv: a named one is left out, a positional one is
 * `''` (its place kept); the script reads them with `attune-secret`. st2's runner parameters (cmd,
 * timeout, …) never appear.
 */
export function scriptArguments(
  parameters: Readonly<Record<string, unknown>>,
  meta: Readonly<Record<string, ParameterMeta>>,
  kwargOp = '--',
): string[] {
  const named: string[] = [];
  for (const [name, value] of Object.entries(parameters)) {
    const m = meta[name];
    if (RUNNER_PARAMETERS.has(name) || m?.secret === true || m?.position !== undefined) continue;
    if (value === null || value === undefined || value === '' || value === false) continue;
    named.push(value === true ? `${kwargOp}${name}` : `${kwargOp}${name}=${pythonStr(value)}`);
  }
  // st2 keys positions in a dict: of two parameters at one position, the later one wins.
  const byPosition = new Map<number, string>();
  for (const [name, m] of Object.entries(meta)) {
    if (m.position !== undefined && !RUNNER_PARAMETERS.has(name)) byPosition.set(m.position, name);
  }
  const positional = [...byPosition.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([, name]) => (meta[name]?.secret === true ? '' : positionalText(meta[name]?.type, parameters[name])));
  return [...named, ...positional];
}

/** st2's `serialize_positional_argument`: the text of a positional argument, by its declared type. */
function positionalText(type: string | undefined, value: unknown): string {
  switch (type) {
    case 'string':
    case 'number':
    case 'float':
      return value === null || value === undefined ? '' : pythonStr(value);
    case 'boolean':
      return value === null || value === undefined ? '' : truthy(value) ? '1' : '0';
    case 'array':
    case 'list':
      return Array.isArray(value) && value.length > 0 ? value.map(pythonStr).join(',') : '';
    case 'object':
      return truthy(value) ? JSON.stringify(value) : '';
    case 'null':
      return '';
    default:
      return truthy(value) ? pythonStr(value) : '';
  }
}

/** Python's truth of a JSON value: empty strings, lists and dicts, 0, false and null are false. */
function truthy(value: unknown): boolean {
  if (value === null || value === undefined || value === false || value === 0 || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return true;
}

/**
 * The `ST2_ACTION_*` variables StackStorm gives every action process: its pack and execution id
 * (and `ST2_ACTION_DEBUG`). `ST2_ACTION_AUTH_TOKEN` and `ST2_ACTION_API_URL` are not given: an
 * action holds no API credentials.
 */
export function st2ActionEnv(input: ActionInput): Record<string, string> {
  const pack = input.execution.action.split('.')[0] ?? '';
  return { ST2_ACTION_PACK_NAME: pack, ST2_ACTION_EXECUTION_ID: input.execution.id, ST2_ACTION_DEBUG: 'False' };
}

/**
 * What `run(**parameters)` gets, as st2 passes it: every parameter the action declares, `None`
 * for one without a value (st2 renders each declared parameter, its value null when it has none,
 * so Exchange actions declare `run(self, name, region)` without Python defaults), and none of the
 * python runner's own parameters.
 */
function pythonParameters(action: RunnableAction, given: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of Object.keys(action.parameters ?? {})) if (!PYTHON_RUNNER_PARAMETERS.has(name)) out[name] = null;
  for (const [name, value] of Object.entries(given)) if (!PYTHON_RUNNER_PARAMETERS.has(name)) out[name] = value;
  return out;
}

/**
 * `timeout` configures the runner (as in st2), so `run(**parameters)` never receives it: an action
 * that declares it to set its own limit keeps a plain `run(self, name)` signature.
 */
function withoutRunnerTimeout(input: ActionInput): ActionInput {
  if (!('timeout' in input.parameters)) return input;
  const { timeout: _timeout, ...parameters } = input.parameters;
  return { ...input, parameters };
}

/** Secret parameters move into `secrets` (the shell's only secret channel); `secrets` wins a clash. */
function shellInput(action: RunnableAction, input: ActionInput): ActionInput {
  const secretParams: Record<string, unknown> = {};
  for (const [name, m] of Object.entries(action.parameters ?? {})) {
    if (m.secret === true && name in input.parameters) secretParams[name] = input.parameters[name];
  }
  return { ...input, secrets: { ...secretParams, ...input.secrets } };
}

function entryPath(action: RunnableAction, context: InvocationContext): string {
  if (action.entryPoint === undefined || action.entryPoint === '') {
    throw new InvalidAction(action.ref, 'entry_point', `expected a path under actions/ for runner ${action.runnerType}`);
  }
  const actionsDir = resolve(context.packDir, 'actions');
  const path = resolve(actionsDir, action.entryPoint);
  const rel = relative(resolve(context.packDir), path);
  if (rel.startsWith('..') || isAbsolute(rel)) {
    throw new InvalidAction(action.ref, 'entry_point', `expected a path inside the pack, received ${action.entryPoint}`);
  }
  return path;
}

function timeoutMs(action: RunnableAction, input: ActionInput, runner: ProcessRunnerType): number {
  const fromParameters = input.parameters['timeout'];
  if (typeof fromParameters === 'number' && fromParameters > 0) return fromParameters * 1000;
  if (action.timeoutSeconds !== undefined && action.timeoutSeconds > 0) return action.timeoutSeconds * 1000;
  return DEFAULT_TIMEOUT_MS[runner];
}
