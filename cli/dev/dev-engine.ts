import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { REQUIRE_LOCAL_AWS_ENV, createAwsClients, runtimeEnv, type RequestMeter, type RuntimeConfig } from '../../engine/contract/index.ts';
import { ignoreMissing } from '../../engine/errors/index.ts';
import { createLog } from '../../engine/logging/index.ts';
import { formatPackIssue, type PackIssue } from '../../engine/packs/index.ts';
import { packDirectory } from '../../engine/registry/index.ts';
import { webhookSecretLookup } from '../../engine/secrets/index.ts';
import { SensorReader } from '../../engine/sensors/index.ts';
import { Engine, apiKeyChecker } from '../../engine/service/index.ts';
import { createLifecycle, createStores } from '../../engine/stores/index.ts';
import { reaperPasses } from '../../functions/reaper/handler.ts';
import { loadConsoleAssets } from '../../functions/http-api/routes/console.ts';
import { startApiServer } from '../../functions/http-api/server.ts';
import { readinessProbe } from '../../functions/http-api/readiness.ts';
import { provisionLocal } from '../../infra/local/index.ts';
import { PROJECT_ROOT, startLocalStack, superviseLocalStack } from '../../localstack/index.ts';
import { loadWorkerSettings } from '../../worker-host/settings.ts';
import { loadDevSettings, type DevSettings } from './dev-settings.ts';
import { startDeadLetterPollers } from './dead-letter-pollers.ts';
import { startIntakePoller } from './intake-poller.ts';
import { startSqsPoller } from './sqs-poller.ts';
import { handleWorkflowBatch } from '../../functions/conductor/index.ts';
import { startTimerScheduler } from './timer-scheduler.ts';
import { superviseWorkers } from './worker-supervisor.ts';

export interface DevEngine {
  url: string;
  /** Where the API key came from: the file `attune dev` keeps it in, or ATTUNE_API_KEY. */
  apiKeySource: string;
  config: RuntimeConfig;
  registered: string[];
  workerPids: () => number[];
  /** Pids of the sensor host processes (`.attune/run/sensor-host-<n>.pid`). */
  sensorHostPids: () => number[];
  stop(): Promise<void>;
}

export interface DevOptions {
  root?: string;
  packsDir?: string;
  env?: Record<string, string | undefined>;
  log?: (line: string) => void;
  /** Write worker logs to `.attune/logs/worker-<n>.log` instead of the terminal. */
  workerLogsToFiles?: boolean;
  /** Counts the requests of the in-process parts (HTTP API, intake, conductor, reaper, timers). */
  meter?: RequestMeter;
}

/** The API key: ATTUNE_API_KEY, else `.attune/api-key` (made on first start, mode 0600). */
async function ensureApiKey(stateDir: string, fromEnv: string | undefined): Promise<{ keys: string[]; source: string }> {
  if (fromEnv) return { keys: [fromEnv], source: 'ATTUNE_API_KEY' };
  const file = join(stateDir, 'api-key');
  if (!(await stat(file).catch(ignoreMissing))) {
    await writeFile(file, `${randomBytes(24).toString('base64url')}\n`, { mode: 0o600 });
  }
  await chmod(file, 0o600);
  const keys = (await readFile(file, 'utf8')).split('\n').map((l) => l.trim());
  return { keys, source: file };
}

/** Registers every pack directory under `packsDir`; a broken pack is reported, not fatal. */
async function registerPacks(engine: Engine, packsDir: string, log: (line: string) => void): Promise<string[]> {
  const registered: string[] = [];
  const entries = await readdir(packsDir).catch(() => [] as string[]);
  for (const name of entries.sort()) {
    const dir = join(packsDir, name);
    if (!(await stat(join(dir, 'pack.yaml')).catch(ignoreMissing))) continue;
    try {
      const pack = await engine.registerPack(await packDirectory(dir));
      registered.push(pack.ref);
    } catch (err) {
      const issues = (err as { issues?: PackIssue[] }).issues;
      log(`pack ${name} not registered: ${issues ? issues.map(formatPackIssue).join('; ') : (err as Error).message}`);
    }
  }
  return registered;
}

/**
 * Starts the engine locally: the local AWS stack (unless AWS_ENDPOINT_URL points at one), the
 * resources from the CDK data stack, the packs, the HTTP API, the event-intake poller, the timer
 * scheduler and the supervised worker processes.
 */
export async function startDevEngine(options: DevOptions = {}): Promise<DevEngine> {
  const env = options.env ?? process.env;
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const root = options.root ?? PROJECT_ROOT;
  const settings = loadDevSettings(env);
  // The workers read theirs at start: a bad one is reported here, not as a crash loop.
  loadWorkerSettings(env);
  const stateDir = join(root, '.attune');
  await mkdir(stateDir, { recursive: true });

  const stack = env.AWS_ENDPOINT_URL ? undefined : await startLocalStack({ root, log });
  const started: Array<() => Promise<void> | void> = [];
  try {
    return await startOnStack({ ...options, env, log, root }, settings, stateDir, stack, started);
  } catch (err) {
    // Stop what this start brought up, newest first, then say why.
    // A failure while stopping is told, not raised: the start's own error is what the user must see.
    const told = (what: string) => (e: unknown) => log(`could not stop ${what} after a failed start: ${(e as Error).message}`);
    for (const stop of started.reverse()) await Promise.resolve(stop()).catch(told('a part it started'));
    if (stack) await stack.stop().catch(told('the local AWS stack'));
    throw err;
  }
}

async function startOnStack(
  options: DevOptions & { env: Record<string, string | undefined>; log: (line: string) => void; root: string },
  settings: DevSettings,
  stateDir: string,
  stack: Awaited<ReturnType<typeof startLocalStack>> | undefined,
  started: Array<() => Promise<void> | void>,
): Promise<DevEngine> {
  const { env, log, root } = options;
  const endpoints = {
    AWS_ENDPOINT_URL: env.AWS_ENDPOINT_URL ?? stack!.endpoint,
    AWS_ENDPOINT_URL_DYNAMODB: env.AWS_ENDPOINT_URL_DYNAMODB ?? env.AWS_ENDPOINT_URL ?? stack!.dynamodbEndpoint,
    AWS_REGION: env.AWS_REGION ?? 'us-east-1',
  };
  const clients = createAwsClients({ env: { ...endpoints }, requireLocal: true, ...(options.meter ? { meter: options.meter } : {}) });
  const config = await provisionLocal(settings.ATTUNE_STAGE, clients);
  // Structured lines from the engine's own parts (intake, reaper, lifecycle), as on AWS.
  const engineLog = createLog('attune-dev');
  const stores = createStores(clients, config);
  const lifecycle = createLifecycle(stores, engineLog);
  const engine = new Engine(stores, { lifecycle, log: engineLog });
  const registered = await registerPacks(engine, options.packsDir ?? join(root, 'packs'), log);

  const apiKey = await ensureApiKey(stateDir, settings.ATTUNE_API_KEY);
  const server = await startApiServer({ engine, apiKeys: apiKeyChecker(apiKey.keys), webhookSecret: webhookSecretLookup(stores.secrets), keys: stores.keyValues, secrets: stores.secrets, sensors: new SensorReader(stores.registry, stores.sensorStates), ready: readinessProbe(stores), console: await loadConsoleAssets(join(PROJECT_ROOT, 'console', 'dist')) }, { port: settings.ATTUNE_PORT }).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'EADDRINUSE') throw err;
    throw new Error(`Port 127.0.0.1:${settings.ATTUNE_PORT} is taken: stop what listens there, or set ATTUNE_PORT to a free port`, { cause: err });
  });
  started.push(() => server.close());
  const intake = startIntakePoller({
    sqs: clients.sqs,
    queueUrl: config.intakeQueueUrl,
    engine,
    log: engineLog,
  });
  started.push(() => intake.stop());
  // The conductor Lambda's part on AWS: workflow events, one FIFO group per workflow, same handler.
  const conductor = startSqsPoller({
    sqs: clients.sqs,
    queueUrl: config.workflowQueueUrl,
    log: engineLog,
    name: 'conductor',
    handle: (event) => handleWorkflowBatch(engine, event, engineLog),
  });
  started.push(() => conductor.stop());
  // The dead-letter Lambda's part on AWS: what a dead-lettered message stranded ends `failed`.
  const deadLetters = await startDeadLetterPollers({ sqs: clients.sqs, config, lifecycle, log: engineLog });
  started.push(() => deadLetters.stop());
  // EventBridge Scheduler's part on AWS: one schedule per enabled timer rule, into the same dispatch.
  const timers = startTimerScheduler({ engine, log: engineLog, refreshMs: settings.ATTUNE_TIMER_REFRESH_SECONDS * 1000 });
  started.push(() => timers.stop());
  let reaping = false;
  const reapPass = reaperPasses({ stores, lifecycle, log: engineLog });
  const reaper = setInterval(() => {
    if (reaping) return;
    reaping = true;
    void reapPass().finally(() => (reaping = false));
  }, settings.ATTUNE_REAPER_INTERVAL_SECONDS * 1000);
  started.push(() => clearInterval(reaper));
  // The emulators this start brought up are supervised as the workers are: restarted when they die.
  // They keep their state in memory, so a restarted one comes back empty: the resources are
  // created again and the packs registered again; what was stored in it is lost (AWS loses nothing).
  const emulators = stack?.startedHere
    ? superviseLocalStack({
        root,
        log,
        onRestarted: async (name) => {
          await provisionLocal(settings.ATTUNE_STAGE, clients);
          const again = await registerPacks(engine, options.packsDir ?? join(root, 'packs'), log);
          log(`${name} restarted: resources created again, ${again.length} pack(s) registered again`);
        },
      })
    : undefined;
  if (emulators) started.push(() => emulators.stop());
  const { ATTUNE_API_KEY: _key, ...inherited } = env;
  const workerEnv = {
    ...(Object.fromEntries(Object.entries(inherited).filter(([, v]) => v !== undefined)) as Record<string, string>),
    ...endpoints,
    ...runtimeEnv(config),
    [REQUIRE_LOCAL_AWS_ENV]: '1',
    ATTUNE_CACHE_DIR: join(stateDir, 'cache'),
  };
  const workers = superviseWorkers({
    count: settings.ATTUNE_WORKERS,
    env: workerEnv,
    runDir: join(stateDir, 'run'),
    ...(options.workerLogsToFiles ? { logDir: join(stateDir, 'logs') } : {}),
    log,
  });
  // The sensor service's part on AWS: the worker image in sensor mode, restarted when it dies.
  const sensorHosts = superviseWorkers({
    kind: 'sensors',
    count: settings.ATTUNE_SENSOR_HOSTS,
    env: workerEnv,
    runDir: join(stateDir, 'run'),
    ...(options.workerLogsToFiles ? { logDir: join(stateDir, 'logs') } : {}),
    log,
  });

  return {
    url: server.url,
    apiKeySource: apiKey.source,
    config,
    registered,
    workerPids: workers.pids,
    sensorHostPids: sensorHosts.pids,
    stop: async () => {
      clearInterval(reaper);
      await emulators?.stop();
      await timers.stop();
      await Promise.all([workers.stop(), sensorHosts.stop()]);
      await intake.stop();
      await conductor.stop();
      await deadLetters.stop();
      await server.close();
      if (stack) await stack.stop();
    },
  };
}

