import { accessSync, constants } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { DEFAULT_PYTHON } from '../runner/index.ts';
import { BUILD_TIMEOUT_MS, PROBE_TIMEOUT_MS, UV_ENV } from './defaults.ts';
import { EnvironmentError, type EnvironmentKind } from './errors.ts';
import { EnvironmentStore, type EnvironmentState, type StoredEnvironment } from './environment-store.ts';
import { installerEnv, runInstaller } from './installer.ts';
import { defaultPython, findPython, type PythonInterpreter, type Reach } from './interpreter.ts';
import { environmentKey } from './key.ts';
import { buildNodeEnvironment, linkNodeModules, nodeModulesOf } from './node-environment.ts';
import { buildPythonEnvironment, venvPython } from './python-environment.ts';
import type { Log } from '../../engine/logging/index.ts';
import { METRIC, processMetrics } from '../../engine/metrics/index.ts';
import { ST2_BASE_REQUIREMENTS, linkSt2Base, makeFilesReadOnly } from './st2-base.ts';

/** Options of {@link EnvironmentManager}. */
export interface EnvironmentManagerOptions {
  /** The worker's cache: environments go to `<cacheDir>/envs`, installer caches beside them. */
  cacheDir: string;
  /**
   * The `uv` binary. Unset: `$ATTUNE_UV`, else `.attune/venv-tools/bin/uv` when installed
   * (localstack/install.sh). `null`: never uv, always `python -m venv` + pip.
   */
  uv?: string | null;
  /** Interpreter of packs whose pack.yaml names no `python`. Default: the runner's `python3`. */
  defaultPython?: string;
  /**
   * Set when actions run as accounts of their own: interpreters those accounts cannot run are
   * passed over (see {@link Reach}).
   */
  reach?: Reach;
  /** The Node that runs `nodejs` actions. Default: this process's. */
  node?: string;
  /** The npm CLI. Default `npm` on PATH. */
  npm?: string;
  buildTimeoutMs?: number;
  log?: Log;
}

/** What {@link EnvironmentManager.ensure} needs to know about a pack (a subset of `Pack`). */
export interface PackEnvironmentSpec {
  ref: string;
  /** pack.yaml's `python: "3.12"`. */
  python?: string;
  files: { requirementsTxt?: string; packageJson?: string; packageLock?: string };
  /** The pack's directory on this worker (its per-digest copy): node_modules is linked there. */
  dir: string;
}

/** A pack's materialized runtime. */
export interface PackEnvironment {
  /** The venv's python: run the python-script wrapper with it (`Interpreters.python`). */
  python: string;
  /** `<node env>/node_modules`, linked as `<pack>/node_modules`; only for packs with a package.json. */
  nodePath?: string;
  /** Key of the Python environment (`<cacheDir>/envs/python-<key>`). */
  key: string;
  /** Key of the st2 base the venv extends (`<cacheDir>/envs/st2-base-<key>`), shared by every pack on the interpreter. */
  st2BaseKey: string;
  /** Key of the Node environment (`<cacheDir>/envs/node-<key>`). */
  nodeKey?: string;
  /** True when this call built an environment; false = every part was a cache hit. */
  built: boolean;
  /** For `minimalEnv({ pathPrefix })`: the venv's bin, then node_modules/.bin. */
  pathPrefix: string[];
}

/** What {@link EnvironmentManager.status} reports per part, without building anything. */
export interface EnvironmentStatus {
  python: { key: string; dir: string; state: EnvironmentState };
  st2Base: { key: string; dir: string; state: EnvironmentState };
  node?: { key: string; dir: string; state: EnvironmentState };
}

/**
 * Per-pack runtime environments, StackStorm's pack virtualenvs rebuilt: one venv per distinct
 * (interpreter, requirements.txt), one node_modules per distinct (Node, package.json, lock),
 * shared by every pack and execution with the same inputs, built once per worker host.
 *
 * A pack without requirements.txt gets the empty venv of its interpreter (built once per
 * interpreter), not the bare interpreter: its actions never see the host's site-packages.
 *
 * Every venv extends the *st2 base* of its interpreter (`st2-base.ts`): a shared venv, built once
 * per interpreter and read-only, holding the packages StackStorm's python runner gives every
 * action (six, PyYAML, requests, python-dateutil, pytz). A `.pth` file in the pack's venv appends
 * its site-packages after the venv's own, so a pack's pins win. A venv's key includes the base's.
 *
 * @example
 * const environments = new EnvironmentManager({ cacheDir: settings.cacheDir, log });
 * const env = await environments.ensure({ ref: pack.ref, python: meta.python, files: pack.files, dir: packDir });
 * const spec = buildInvocation(action, input, { packDir, cwd, env: minimalEnv({ home, pathPrefix: env.pathPrefix }) },
 *   { ...defaultInterpreters(), python: env.python });
 */
export class EnvironmentManager {
  readonly #store: EnvironmentStore;
  readonly #cacheDir: string;
  readonly #uv: string | undefined;
  readonly #defaultPython: string;
  readonly #reach: Reach | undefined;
  readonly #node: string;
  readonly #npm: string;
  readonly #timeoutMs: number;
  readonly #log: Log;
  readonly #interpreters = new Map<string, Promise<PythonInterpreter>>();
  #nodeVersion: Promise<string> | undefined;

  constructor(options: EnvironmentManagerOptions) {
    this.#cacheDir = resolve(options.cacheDir);
    this.#store = new EnvironmentStore(join(this.#cacheDir, 'envs'), {
      onWait: (holder) => this.#log('info', 'waiting for another process building an environment', { holder }),
    });
    this.#uv = options.uv === null ? undefined : (options.uv ?? discoverUv());
    this.#defaultPython = options.defaultPython ?? DEFAULT_PYTHON;
    this.#reach = options.reach;
    this.#node = options.node ?? process.execPath;
    this.#npm = options.npm ?? 'npm';
    this.#timeoutMs = options.buildTimeoutMs ?? BUILD_TIMEOUT_MS;
    this.#log = options.log ?? (() => undefined);
  }

  /** The `uv` used for Python environments, or undefined when they are built with pip. */
  get uv(): string | undefined {
    return this.#uv;
  }

  /**
   * The pack's environments, built unless present. A cache hit costs one stat per part (plus a
   * readlink for node_modules). Concurrent calls, here or in other worker processes, build once.
   * Throws {@link InterpreterNotFound} or {@link EnvironmentBuildFailed} (never cached: the next
   * call tries again).
   */
  async ensure(pack: PackEnvironmentSpec): Promise<PackEnvironment> {
    const keys = await this.#keys(pack);
    const pythonParts = async () => {
      const base = await this.#ensureSt2Base(pack, keys.python);
      const venv = await this.#ensurePython(pack, keys.python, base.dir);
      return { ...venv, built: venv.built || base.built };
    };
    const [python, node] = await Promise.all([pythonParts(), keys.node === undefined ? undefined : this.#ensureNode(pack, keys.node)]);
    const result: PackEnvironment = {
      python: venvPython(python.dir),
      key: keys.python.key,
      st2BaseKey: keys.python.st2BaseKey,
      built: python.built || (node?.built ?? false),
      pathPrefix: [join(python.dir, 'bin')],
    };
    if (node !== undefined && keys.node !== undefined) {
      if (!(await linkNodeModules(pack.dir, node.dir))) {
        this.#log('warn', 'pack ships its own node_modules; its package.json environment is not linked', { pack: pack.ref });
      }
      result.nodePath = nodeModulesOf(node.dir);
      result.nodeKey = keys.node.key;
      result.pathPrefix.push(join(result.nodePath, '.bin'));
    }
    return result;
  }

  /** Keys, directories and states of the pack's environments; builds nothing. */
  async status(pack: PackEnvironmentSpec): Promise<EnvironmentStatus> {
    const keys = await this.#keys(pack);
    const part = async (kind: EnvironmentKind, key: string) => ({ key, dir: this.#store.pathOf(kind, key), state: await this.#store.state(kind, key) });
    const status: EnvironmentStatus = { python: await part('python', keys.python.key), st2Base: await part('st2-base', keys.python.st2BaseKey) };
    if (keys.node !== undefined) status.node = await part('node', keys.node.key);
    return status;
  }

  /** The pack's venv; `baseDir` (the st2 base) is linked in once its own requirements are installed. */
  #ensurePython(pack: PackEnvironmentSpec, part: PythonKeys, baseDir: string): Promise<StoredEnvironment> {
    const build = async (dir: string) => {
      await buildPythonEnvironment(dir, this.#pythonBuildSpec(pack.ref, part.interpreter, pack.files.requirementsTxt));
      // After the install: the installer must not count the base's packages as already there.
      await linkSt2Base(dir, baseDir);
    };
    return this.#materialize(pack, 'python', part.key, build, { runtime: part.runtime, tool: this.#uv ?? 'pip', st2Base: part.st2BaseKey });
  }

  /** The st2 base of the pack's interpreter, built by the first pack that needs it. */
  #ensureSt2Base(pack: PackEnvironmentSpec, part: PythonKeys): Promise<StoredEnvironment> {
    const build = async (dir: string) => {
      await buildPythonEnvironment(dir, this.#pythonBuildSpec(pack.ref, part.interpreter, ST2_BASE_REQUIREMENTS, 'st2-base'));
      await makeFilesReadOnly(dir);
    };
    return this.#materialize(pack, 'st2-base', part.st2BaseKey, build, { runtime: part.runtime, tool: this.#uv ?? 'pip' });
  }

  #pythonBuildSpec(ref: string, interpreter: PythonInterpreter, requirementsTxt: string | undefined, kind: 'python' | 'st2-base' = 'python') {
    const uv = this.#uv;
    return { pack: ref, kind, interpreter, requirementsTxt, uv, cacheDir: join(this.#cacheDir, uv === undefined ? 'pip-cache' : 'uv-cache'), timeoutMs: this.#timeoutMs };
  }

  #ensureNode(pack: PackEnvironmentSpec, part: { key: string; runtime: string }): Promise<StoredEnvironment> {
    const { packageJson = '', packageLock } = pack.files;
    const build = (dir: string) =>
      buildNodeEnvironment(dir, {
        pack: pack.ref,
        packageJson,
        packageLock,
        node: this.#node,
        npm: this.#npm,
        cacheDir: join(this.#cacheDir, 'npm-cache'),
        timeoutMs: this.#timeoutMs,
      });
    return this.#materialize(pack, 'node', part.key, build, { runtime: part.runtime, tool: packageLock === undefined ? 'npm install' : 'npm ci' });
  }

  async #materialize(pack: PackEnvironmentSpec, kind: EnvironmentKind, key: string, build: (dir: string) => Promise<void>, manifest: Record<string, unknown>): Promise<StoredEnvironment> {
    const started = performance.now();
    const stored = await this.#store.ensure(kind, key, build, { builtFor: pack.ref, ...manifest }).catch((err: unknown) => {
      this.#log('error', 'environment build failed', { pack: pack.ref, kind, key, error: err instanceof Error ? err.message : String(err) });
      throw err;
    });
    if (stored.built) this.#log('info', 'environment built', { pack: pack.ref, kind, key, ms: Math.round(performance.now() - started) });
    if (stored.built) processMetrics().count(METRIC.environmentBuilds, 1, { Kind: kind });
    return stored;
  }

  async #keys(pack: PackEnvironmentSpec) {
    const interpreter = await this.#interpreter(pack);
    const pythonRuntime = `${interpreter.implementation} ${interpreter.version} ${interpreter.executable}`;
    const st2BaseKey = environmentKey({ kind: 'st2-base', runtime: pythonRuntime, files: { 'requirements.txt': ST2_BASE_REQUIREMENTS } });
    const pythonFiles = { 'requirements.txt': pack.files.requirementsTxt, 'st2-base': st2BaseKey };
    const python: PythonKeys = { interpreter, runtime: pythonRuntime, st2BaseKey, key: environmentKey({ kind: 'python', runtime: pythonRuntime, files: pythonFiles }) };
    if (pack.files.packageJson === undefined) return { python, node: undefined };
    const nodeRuntime = `node ${await this.#nodeRuntime()} ${process.platform}-${process.arch}`;
    const files = { 'package.json': pack.files.packageJson, 'package-lock.json': pack.files.packageLock };
    return { python, node: { runtime: nodeRuntime, key: environmentKey({ kind: 'node', runtime: nodeRuntime, files }) } };
  }

  /** Resolved once per version per process; a failure is not remembered (the admin may install it). */
  #interpreter(pack: PackEnvironmentSpec): Promise<PythonInterpreter> {
    const wanted = pack.python ?? '';
    let found = this.#interpreters.get(wanted);
    if (!found) {
      found = wanted === '' ? defaultPython(pack.ref, this.#defaultPython, this.#reach) : findPython(pack.ref, wanted, undefined, this.#reach);
      found.catch(() => this.#interpreters.delete(wanted));
      this.#interpreters.set(wanted, found);
    }
    return found;
  }

  #nodeRuntime(): Promise<string> {
    if (this.#node === process.execPath) return Promise.resolve(process.versions.node);
    this.#nodeVersion ??= runInstaller({ command: this.#node, args: ['-p', 'process.versions.node'], cwd: this.#cacheDir, env: installerEnv(), timeoutMs: PROBE_TIMEOUT_MS }).then((out) => {
      if (!out.ok) throw new EnvironmentError(`expected ${this.#node} to be a Node binary printing its version; ${out.reason}: ${out.tail}`);
      return out.tail.trim();
    });
    return this.#nodeVersion;
  }
}

/** Keys of a pack's Python parts: its venv's and the st2 base's, for one interpreter. */
interface PythonKeys {
  key: string;
  st2BaseKey: string;
  runtime: string;
  interpreter: PythonInterpreter;
}

/** `$ATTUNE_UV`, else the uv localstack/install.sh puts in `.attune/venv-tools` (or `$ATTUNE_HOME`). */
export function discoverUv(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const configured = env[UV_ENV];
  if (configured !== undefined && configured !== '') return configured;
  const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
  const installed = join(env['ATTUNE_HOME'] ?? join(projectRoot, '.attune'), 'venv-tools', 'bin', 'uv');
  try {
    accessSync(installed, constants.X_OK);
    return installed;
  } catch {
    return undefined;
  }
}
