import { chmod, mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ArtifactStore } from '../engine/artifacts/index.ts';
import type { Execution, ExecutionStore } from '../engine/executions/index.ts';
import type { ClaimedExecution, ExecutionLifecycle, RunReport } from '../engine/lifecycle/index.ts';
import { isClientError } from '../engine/errors/index.ts';
import { logFailure, withKeys, type Log } from '../engine/logging/index.ts';
import type { Action } from '../engine/packs/index.ts';
import type { ActionCache, PackConfigStore, Registry } from '../engine/registry/index.ts';
import { resolveRunConfig } from '../engine/service/index.ts';
import type { Lease } from '../engine/slots/index.ts';
import { secretParameterNames } from '../engine/packs/index.ts';
import { MIN_MASKED_SECRET_LENGTH, secretValuesOf, unsealParameters, type SecretStore } from '../engine/secrets/index.ts';
import { actionDatastore, type ActionKeyValues } from './action-datastore.ts';
import { LiveMasker } from './live-masker.ts';
import { BoundedLog, maskedLogSink } from './bounded-log.ts';
import { LeaseKeeper } from './lease-keeper.ts';
import type { EnvironmentManager } from './environments/index.ts';
import type { PackCache } from './pack-cache.ts';
import {
  type ActionIsolation,
  IsolationUnavailable,
  unreachableByOthers,
  buildInvocation,
  defaultInterpreters,
  classifyOutcome,
  createActionScratch,
  minimalEnv,
  runHttpRequest,
  runProcess,
  SHELL_RESULT_TEXT_MAX_BYTES,
  st2ShellResult,
  type ActionInput,
  type HttpRequestParameters,
  type RunVerdict,
  type RunnableAction,
} from './runner/index.ts';
import { CANCEL_CHECK_MS, ERROR_TEXT_LIMIT_BYTES, LOG_FLUSH_MS, type WorkerSettings } from './settings.ts';

/** What running a claimed execution needs: the lifecycle for every status change, the rest to run it. */
export interface ExecuteDeps {
  settings: WorkerSettings;
  lifecycle: ExecutionLifecycle;
  /** Read only: the worker watches its executions' records for cancel requests. */
  store: Pick<ExecutionStore, 'find'>;
  registry: Registry;
  /** Action definitions by pack version; without it every run reads its action from the registry. */
  actions?: Pick<ActionCache, 'get'>;
  /** Operator pack configs, merged into what each action gets as `config`. */
  configs: Pick<PackConfigStore, 'get'>;
  packs: PackCache;
  secrets: SecretStore;
  artifacts: Pick<ArtifactStore, 'putLogSegment'>;
  environments: EnvironmentManager;
  /** Hands each run an unprivileged account of its own; absent, actions run as the worker's user. */
  isolation?: ActionIsolation;
  /** The st2kv datastore Python actions reach through `action_service`; absent, their calls fail. */
  keyValues?: ActionKeyValues;
  log: Log;
  /** Dispatches a trigger through the engine (the `inject-trigger` runner); absent, that runner fails. */
  dispatch?: (trigger: { type: string; payload: unknown; instanceId?: string }) => Promise<{ triggerInstance: string; executions: string[] }>;
}

/** Runners the worker runs itself, without a process: they use the parameters only. */
const IN_PROCESS_RUNNERS = new Set<string>(['noop', 'inject-trigger', 'http-request']);

/** The runners whose result is st2's `{failed, succeeded, return_code, stdout, stderr}`. */
const SHELL_RUNNERS = new Set<string>(['local-shell-cmd', 'local-shell-script']);

const toRunnable = (action: Action): RunnableAction => ({
  ref: action.ref,
  runnerType: action.runner_type as RunnableAction['runnerType'],
  ...(action.entry_point ? { entryPoint: action.entry_point } : {}),
  parameters: action.parameters ?? {},
});

/** What an action needs before it starts: its secrets, and a masker for everything it emits. */
interface Prepared {
  secrets: Record<string, string>;
  /** The parameters as the action gets them: secret ones unsealed. */
  parameters: Record<string, unknown>;
  /** The pack's config: schema defaults, the operator's values, secret values put back. */
  config: Record<string, unknown>;
  /** Masks every secret value, including those the action learns from the datastore as it runs. */
  masker: LiveMasker;
}

/**
 * Fetches the action's secrets and its pack's config (before anything starts: a missing secret
 * fails the execution with an error naming it) and builds the masker from them, from secret
 * parameter values and from the config's secret values.
 */
async function prepare(deps: ExecuteDeps, execution: Execution, action: Action): Promise<Prepared> {
  // A runner that starts no process gets neither secrets nor config: reading them is waste.
  const inProcess = IN_PROCESS_RUNNERS.has(action.runner_type);
  const [secrets, parameters, run] = await Promise.all([
    inProcess ? ({} as Record<string, string>) : deps.secrets.resolve((action.secrets ?? {}) as Record<string, string>),
    unsealParameters(deps.secrets, execution),
    inProcess ? { config: {}, secretValues: [] } : resolveRunConfig(deps, action.pack),
  ]);
  const secretParams = secretParameterNames(action).flatMap((name) => secretValuesOf(parameters[name]));
  const secretConfig = run.secretValues.flatMap((v) => secretValuesOf(v));
  // Named, never shown: such a value would go unmasked (masking it would mask every "abc" in a log).
  const short = [
    ...Object.entries(secrets).filter(([, v]) => tooShortToMask(v)).map(([key]) => `secrets.${key}`),
    ...secretParameterNames(action).filter((name) => secretValuesOf(parameters[name]).some(tooShortToMask)).map((name) => `parameters.${name}`),
    ...(secretConfig.some(tooShortToMask) ? ['config'] : []),
  ];
  if (short.length > 0) deps.log('warn', `secret values shorter than ${MIN_MASKED_SECRET_LENGTH} characters are not masked in logs and results`, { execution: execution.id, where: short });
  return { secrets, parameters, config: run.config, masker: new LiveMasker([...Object.values(secrets), ...secretParams, ...secretConfig]) };
}

const tooShortToMask = (value: string): boolean => value.length > 0 && value.length < MIN_MASKED_SECRET_LENGTH;

/** The pack's environment, built on first use; the outcome is recorded on the pack for `GET /v1/packs`. */
async function materialize(deps: ExecuteDeps, action: Action & { digest: string }, packDir: string) {
  const pack = await deps.registry.getPack(action.pack);
  const at = new Date().toISOString();
  try {
    const env = await deps.environments.ensure({ ref: action.pack, ...(pack?.python ? { python: pack.python } : {}), files: pack?.files ?? {}, dir: packDir });
    if (pack?.environment?.state !== 'ready' || pack.environment.key !== env.key) {
      await deps.registry.setEnvironment(action.pack, action.digest, { state: 'ready', key: env.key, at });
    }
    return env;
  } catch (err) {
    await deps.registry.setEnvironment(action.pack, action.digest, { state: 'failed', error: (err as Error).message, at });
    throw err;
  }
}

/**
 * core.inject_trigger: dispatches `trigger` with `payload` as `POST /v1/events` does, through the
 * same check (a registered or built-in type; the payload fitting its payload_schema). The
 * execution id is the trigger instance id, so a retried execution injects nothing twice.
 */
async function injectTrigger(deps: ExecuteDeps, execution: Execution, parameters: Record<string, unknown>): Promise<RunVerdict> {
  const type = parameters.trigger;
  if (!deps.dispatch) return { status: 'failed', exitCode: null, error: { type: 'RunnerError', message: 'this worker cannot dispatch triggers' } };
  if (typeof type !== 'string' || type === '') return { status: 'failed', exitCode: null, error: { type: 'RunnerError', message: 'parameter "trigger": expected a trigger type' } };
  let dispatched;
  try {
    dispatched = await deps.dispatch({ type, payload: parameters.payload ?? {}, instanceId: execution.id });
  } catch (err) {
    // An unknown trigger type or a payload that breaks its payload_schema is the caller's error: the
    // execution fails naming it (`payload.<path>`), as POST /v1/events answers 400.
    if (isClientError(err)) return { status: 'failed', exitCode: null, error: { type: err.name, message: err.message } };
    throw err;
  }
  return { status: 'succeeded', exitCode: null, result: { trigger_instance: dispatched.triggerInstance, executions: dispatched.executions } };
}

/** Runs an action and returns the verdict; logs go, masked, to the two bounded logs as they come. */
async function runAction(
  deps: ExecuteDeps,
  execution: Execution,
  action: Action & { digest: string },
  prepared: Prepared,
  logs: { stdout: BoundedLog; stderr: BoundedLog },
  signal: AbortSignal,
): Promise<RunVerdict> {
  if (action.runner_type === 'noop') return { status: 'succeeded', result: {}, exitCode: 0 };
  if (action.runner_type === 'inject-trigger') return injectTrigger(deps, execution, prepared.parameters);
  if (action.runner_type === 'http-request') {
    const verdict = await runHttpRequest(prepared.parameters as unknown as HttpRequestParameters, { signal });
    return { ...verdict, exitCode: null };
  }
  const packDir = await deps.packs.ensure(action.digest);
  const environment = await materialize(deps, action, packDir);
  const account = (await deps.isolation?.acquire()) ?? { release: () => Promise.resolve() };
  let scratch: Awaited<ReturnType<typeof createActionScratch>>;
  try {
    scratch = await createActionScratch(undefined, account.user);
  } catch (err) {
    await account.release();
    throw err;
  }
  const sinks = { stdout: maskedLogSink(logs.stdout, prepared.masker.createStreamMasker()), stderr: maskedLogSink(logs.stderr, prepared.masker.createStreamMasker()) };
  try {
    const input: ActionInput = { execution: { id: execution.id, action: execution.action }, parameters: prepared.parameters, secrets: prepared.secrets, config: prepared.config };
    const spec = buildInvocation(
      toRunnable(action),
      input,
      {
        packDir,
        cwd: scratch.home,
        env: minimalEnv({ home: scratch.home, tmpDir: scratch.tmp, pathPrefix: environment.pathPrefix, ...(account.user ? { user: account.user.name } : {}) }),
      },
      { ...defaultInterpreters(), python: environment.python },
    );
    if (account.user !== undefined) await assertReachable(deps.log, account.user.name, [spec.command, packDir]);
    const services =
      action.runner_type === 'python-script' && deps.keyValues !== undefined
        ? {
            services: actionDatastore(deps.keyValues, (value) => prepared.masker.add(secretValuesOf(value))),
            serviceOptions: { onInternalError: logFailure(deps.log, 'could not serve a datastore request of the action') },
          }
        : {};
    const outcome = await runProcess(
      { ...spec, ...services, signal, ...(account.user ? { user: account.user } : {}) },
      { onStdout: sinks.stdout.write, onStderr: sinks.stderr.write },
    );
    const verdict = classifyOutcome(outcome);
    if (!SHELL_RUNNERS.has(action.runner_type)) return verdict;
    // st2's shell result carries the output: read back as logged, so masked and bounded.
    await Promise.all([sinks.stdout.end(), sinks.stderr.end()]);
    const [stdout, stderr] = await Promise.all([logs.stdout.head(SHELL_RESULT_TEXT_MAX_BYTES), logs.stderr.head(SHELL_RESULT_TEXT_MAX_BYTES)]);
    const report = verdict.result as { return_code?: unknown; result?: unknown } | undefined;
    const result = st2ShellResult({
      stdout,
      stderr,
      exitCode: typeof report?.return_code === 'number' ? report.return_code : outcome.exitCode,
      signal: outcome.signal,
      ...(outcome.timedOut ? { timeoutSeconds: spec.timeoutMs / 1000 } : {}),
      ...(report !== undefined && 'result' in report ? { scriptResult: report.result } : {}),
    });
    return { ...verdict, result };
  } finally {
    await sinks.stdout.end();
    await sinks.stderr.end();
    // Killed before the scratch goes: nothing of the run writes into it any more.
    await account.release();
    await scratch.dispose();
  }
}

/**
 * Fails the run up front when its interpreter or pack is out of the action account's reach, with
 * the path in the worker's log only (the execution's error never names a server path).
 */
async function assertReachable(log: Log, user: string, paths: readonly string[]): Promise<void> {
  for (const path of paths) {
    const blocked = await unreachableByOthers(path);
    if (blocked === undefined) continue;
    log('error', 'the action account cannot reach a path the action needs: install interpreters where every user can run them', { user, path, blocked });
    throw new IsolationUnavailable(`the action account ${user} cannot reach its interpreter or pack (see the worker log); install the interpreter where every user can run it, or set ATTUNE_ACTION_ISOLATION=off`);
  }
}

/** `text` cut to at most `maxBytes` of UTF-8, saying how much was left out. */
export function boundedText(text: string, maxBytes: number): string {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= maxBytes) return text;
  // Cut on a character boundary: drop continuation bytes (10xxxxxx) the cut would split.
  let end = maxBytes;
  while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end--;
  return `${bytes.subarray(0, end).toString('utf8')}… (${bytes.length - end} more bytes)`;
}

/**
 * Runs one claimed (`scheduled`) execution to its end: `running`, the action with its logs
 * streamed to bounded files and copied to S3 while it runs, cancel requests honoured, then the
 * result and final status stored, conditional on the record still being ours to finish.
 */
export async function executeClaimed(deps: ExecuteDeps, claimed: ClaimedExecution, lease: Lease, digest?: string): Promise<Execution | undefined> {
  const log = withKeys(deps.log, { execution: claimed.id, action: claimed.action });
  // Renewed from the claim on: the time before the process starts counts against the TTL too.
  const keeper = new LeaseKeeper(deps.lifecycle, lease, deps.settings.leaseTtlSeconds * 1000, log);
  let done: Execution | undefined;
  try {
    done = await runClaimed({ ...deps, log }, claimed, keeper, digest);
  } finally {
    await keeper.stop();
    // Frees the slot, then enqueues a retry when a policy asks for one.
    await deps.lifecycle.release(lease, done);
  }
  return done;
}

async function runClaimed(deps: ExecuteDeps, claimed: ClaimedExecution, keeper: LeaseKeeper, digest?: string): Promise<Execution | undefined> {
  const { settings, lifecycle, log } = deps;
  const scratchLogs = join(settings.cacheDir, 'logs');
  // No mode here: a recursive mkdir gives it to the cache directory too, which actions traverse.
  await mkdir(scratchLogs, { recursive: true });
  // Other runs' output is the worker's to read, never an action's.
  await chmod(scratchLogs, 0o700);
  const logs = {
    stdout: new BoundedLog(join(scratchLogs, `${claimed.id}.stdout`), settings.logLimitBytes),
    stderr: new BoundedLog(join(scratchLogs, `${claimed.id}.stderr`), settings.logLimitBytes),
  };
  const flush = () =>
    Promise.all((['stdout', 'stderr'] as const).map((s) => logs[s].flush((offset, body, length) => deps.artifacts.putLogSegment(claimed.id, s, offset, body, length))));
  const abort = new AbortController();
  const running = await lifecycle.start(claimed.id, settings.workerId);
  // Canceled between claim and start (now canceled), or abandoned meanwhile: nothing runs.
  if (!running) return undefined;
  keeper.lost.addEventListener('abort', () => abort.abort(), { once: true });
  // Cancel requests, and a reaper that declared the run abandoned while a renewal was late.
  const watch = setInterval(() => {
    deps.store.find(claimed.id).then((e) => {
      if (e?.status === 'canceling') abort.abort();
      if (e?.status === 'abandoned') keeper.markLost('the reaper declared the execution abandoned: its lease lapsed while running');
    }, logFailure(log, 'could not read the execution to check for a cancel request; checking again shortly'));
  }, CANCEL_CHECK_MS);
  let masker = new LiveMasker([]);
  const live = setInterval(() => void flush().catch(logFailure(log, 'could not copy output to the artifacts bucket; retrying at the next flush')), LOG_FLUSH_MS);
  let verdict: Omit<RunVerdict, 'status'> & { status: RunVerdict['status'] | 'abandoned' };
  try {
    const action = deps.actions ? await deps.actions.get(running.action, digest) : await deps.registry.getAction(running.action);
    if (!action) throw new Error(`action ${running.action} is no longer registered`);
    const limit = Math.min(action.log_limit_bytes ?? settings.logLimitBytes, settings.logLimitMaxBytes);
    logs.stdout.setLimit(limit);
    logs.stderr.setLimit(limit);
    const prepared = await prepare(deps, running, action);
    masker = prepared.masker;
    verdict = await runAction(deps, running, action, prepared, logs, abort.signal);
  } catch (err) {
    verdict = { status: 'failed', error: { type: (err as Error).name, message: (err as Error).message }, exitCode: null };
  } finally {
    clearInterval(watch);
    clearInterval(live);
  }
  if (keeper.lost.aborted) verdict = { status: 'abandoned', error: { type: 'LeaseLost', message: (keeper.lost.reason as Error).message }, exitCode: null };
  await Promise.all([logs.stdout.close(), logs.stderr.close()]);
  await flush();
  const report: RunReport = {
    status: verdict.status,
    log: { stdout: logs.stdout.info(), stderr: logs.stderr.info() },
    ...(verdict.exitCode !== null && verdict.exitCode !== undefined ? { exitCode: verdict.exitCode } : {}),
    ...(verdict.error ? { error: boundedText(masker.masker.maskText(`${verdict.error.type}: ${verdict.error.message}`), ERROR_TEXT_LIMIT_BYTES) } : {}),
    ...(verdict.result === undefined ? {} : { result: masker.masker.maskJson(verdict.result) }),
  };
  await Promise.all((['stdout', 'stderr'] as const).map((s) => rm(join(scratchLogs, `${claimed.id}.${s}`), { force: true })));
  return lifecycle.finish(claimed.id, report);
}
