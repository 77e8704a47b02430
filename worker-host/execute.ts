import { PutObjectCommand } from '@aws-sdk/client-s3';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { AwsClients, RuntimeConfig } from '../engine/contract/index.ts';
import { TransitionRefused, ignoreRefused, type Execution, type ExecutionPatch, type ExecutionStore } from '../engine/executions/index.ts';
import { resultKey } from '../engine/logs/index.ts';
import type { Action } from '../engine/packs/index.ts';
import type { Registry } from '../engine/registry/index.ts';
import { enqueueRetry, retryRule, shouldRetry } from '../engine/policies/index.ts';
import type { ExecutionQueue } from '../engine/queue/index.ts';
import type { Lease, SlotStore } from '../engine/slots/index.ts';
import { secretParameterNames } from '../engine/packs/index.ts';
import { Masker, secretValuesOf, unsealParameters, type SecretStore } from '../engine/secrets/index.ts';
import { BoundedLog, maskedLogSink } from './bounded-log.ts';
import { LeaseKeeper } from './lease-keeper.ts';
import type { EnvironmentManager } from './environments/index.ts';
import type { PackCache } from './pack-cache.ts';
import {
  buildInvocation,
  defaultInterpreters,
  classifyOutcome,
  createActionScratch,
  minimalEnv,
  runHttpRequest,
  runProcess,
  type ActionInput,
  type HttpRequestParameters,
  type RunVerdict,
  type RunnableAction,
} from './runner/index.ts';
import { CANCEL_CHECK_MS, ERROR_TEXT_LIMIT_BYTES, INLINE_RESULT_LIMIT_BYTES, LOG_FLUSH_MS, type WorkerSettings } from './settings.ts';

export interface ExecuteDeps {
  clients: AwsClients;
  config: RuntimeConfig;
  settings: WorkerSettings;
  store: ExecutionStore;
  registry: Registry;
  packs: PackCache;
  slots: SlotStore;
  queue: ExecutionQueue;
  secrets: SecretStore;
  environments: EnvironmentManager;
  log: (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;
}

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
  masker: Masker;
}

/**
 * Fetches the action's secrets (before anything starts: a missing one fails the execution with
 * an error naming it) and builds the masker from them and from secret parameter values.
 */
async function prepare(deps: ExecuteDeps, execution: Execution, action: Action): Promise<Prepared> {
  const secrets = await deps.secrets.resolve((action.secrets ?? {}) as Record<string, string>);
  const parameters = await unsealParameters(deps.secrets, execution);
  const secretParams = secretParameterNames(action).flatMap((name) => secretValuesOf(parameters[name]));
  return { secrets, parameters, masker: Masker.fromSecrets([...Object.values(secrets), ...secretParams]) };
}

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
  if (action.runner_type === 'http-request') {
    const verdict = await runHttpRequest(prepared.parameters as unknown as HttpRequestParameters, { signal });
    return { ...verdict, exitCode: null } as RunVerdict;
  }
  const packDir = await deps.packs.ensure(action.digest);
  const environment = await materialize(deps, action, packDir);
  const scratch = await createActionScratch();
  const sinks = { stdout: maskedLogSink(logs.stdout, prepared.masker.createStreamMasker()), stderr: maskedLogSink(logs.stderr, prepared.masker.createStreamMasker()) };
  try {
    const input: ActionInput = { execution: { id: execution.id, action: execution.action }, parameters: prepared.parameters, secrets: prepared.secrets, config: {} };
    const spec = buildInvocation(
      toRunnable(action),
      input,
      { packDir, cwd: scratch.home, env: minimalEnv({ home: scratch.home, tmpDir: scratch.tmp, pathPrefix: environment.pathPrefix }) },
      { ...defaultInterpreters(), python: environment.python },
    );
    const outcome = await runProcess(
      { ...spec, signal },
      { onStdout: sinks.stdout.write, onStderr: sinks.stderr.write },
    );
    return classifyOutcome(outcome);
  } finally {
    await sinks.stdout.end();
    await sinks.stderr.end();
    await scratch.dispose();
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

/** Stores a result inline, or in S3 with a pointer when it would not fit a DynamoDB item. */
async function storeResult(deps: ExecuteDeps, id: string, result: unknown): Promise<ExecutionPatch> {
  if (result === undefined) return {};
  const json = JSON.stringify(result);
  if (Buffer.byteLength(json) <= INLINE_RESULT_LIMIT_BYTES) return { result };
  const Key = resultKey(id);
  await deps.clients.s3.send(new PutObjectCommand({ Bucket: deps.config.artifactsBucket, Key, Body: json, ContentType: 'application/json' }));
  return { result: { $ref: Key, bytes: Buffer.byteLength(json) } };
}

/**
 * Runs one claimed (`scheduled`) execution to its end: `running`, the action with its logs
 * streamed to bounded files and copied to S3 while it runs, cancel requests honoured, then the
 * result and final status stored, conditional on the record still being ours to finish.
 */
export async function executeClaimed(deps: ExecuteDeps, claimed: Execution, lease: Lease): Promise<Execution | undefined> {
  // Renewed from the claim on: the time before the process starts counts against the TTL too.
  const keeper = new LeaseKeeper(deps.slots, lease, deps.settings.leaseTtlSeconds * 1000, deps.log);
  let done: Execution | undefined;
  try {
    done = await runClaimed(deps, claimed, keeper);
  } finally {
    await keeper.stop();
    await deps.slots.release(lease);
  }
  // After the release: under an `action: cancel` policy the retry must find the slot free.
  if (done) await retryIfAsked(deps, done);
  return done;
}

/** Enqueues the next attempt when the action's `action.retry` policy asks for one. */
async function retryIfAsked(deps: ExecuteDeps, done: Execution): Promise<void> {
  if (done.status !== 'failed' && done.status !== 'timeout') return;
  const rule = retryRule(await deps.registry.policiesFor(done.action));
  if (shouldRetry(rule, done.status, done.attempt)) await enqueueRetry(deps, done, rule?.delaySeconds ?? 0);
}

async function runClaimed(deps: ExecuteDeps, claimed: Execution, keeper: LeaseKeeper): Promise<Execution | undefined> {
  const { store, settings, config, clients } = deps;
  const scratchLogs = join(settings.cacheDir, 'logs');
  await mkdir(scratchLogs, { recursive: true });
  const logs = {
    stdout: new BoundedLog(join(scratchLogs, `${claimed.id}.stdout`), settings.logLimitBytes),
    stderr: new BoundedLog(join(scratchLogs, `${claimed.id}.stderr`), settings.logLimitBytes),
  };
  const flush = () => Promise.all((['stdout', 'stderr'] as const).map((s) => logs[s].flush(clients.s3, config.artifactsBucket, claimed.id, s)));
  const abort = new AbortController();
  let running: Execution;
  try {
    running = await store.transition(claimed.id, 'running', { startedAt: new Date().toISOString(), worker: settings.workerId }, ['scheduled']);
  } catch (err) {
    if (!(err instanceof TransitionRefused)) throw err;
    // Canceled between claim and start: nothing ran, so the cancel is complete.
    if (err.actual === 'canceling') await store.transition(claimed.id, 'canceled', { endedAt: new Date().toISOString() }, ['canceling']).catch(ignoreRefused);
    return undefined;
  }
  keeper.lost.addEventListener('abort', () => abort.abort(), { once: true });
  // Cancel requests, and a reaper that declared the run abandoned while a renewal was late.
  const watch = setInterval(() => {
    store.find(claimed.id).then((e) => {
      if (e?.status === 'canceling') abort.abort();
      if (e?.status === 'abandoned') keeper.markLost('the reaper declared the execution abandoned: its lease lapsed while running');
    }, () => undefined);
  }, CANCEL_CHECK_MS);
  let masker = Masker.fromSecrets([]);
  const live = setInterval(() => void flush().catch(() => undefined), LOG_FLUSH_MS);
  let verdict: Omit<RunVerdict, "status"> & { status: RunVerdict["status"] | "abandoned" };
  try {
    const action = await deps.registry.getAction(running.action);
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
  const patch: ExecutionPatch = {
    endedAt: new Date().toISOString(),
    log: { stdout: logs.stdout.info(), stderr: logs.stderr.info() },
    ...(verdict.exitCode !== null && verdict.exitCode !== undefined ? { exitCode: verdict.exitCode } : {}),
    ...(verdict.error ? { error: boundedText(masker.maskText(`${verdict.error.type}: ${verdict.error.message}`), ERROR_TEXT_LIMIT_BYTES) } : {}),
    ...(await storeResult(deps, claimed.id, verdict.result === undefined ? undefined : masker.maskJson(verdict.result))),
  };
  await Promise.all((['stdout', 'stderr'] as const).map((s) => rm(join(scratchLogs, `${claimed.id}.${s}`), { force: true })));
  try {
    return await store.transition(claimed.id, verdict.status, patch, ['running', 'canceling']);
  } catch (err) {
    if (err instanceof TransitionRefused) return undefined; // the reaper declared it abandoned meanwhile
    throw err;
  }
}
