import { join, resolve } from 'node:path';
import type { Log } from '../../engine/logging/index.ts';
import { logFailure } from '../../engine/logging/index.ts';
import type { Registry, PackConfigStore, RegisteredSensor } from '../../engine/registry/index.ts';
import { secretValuesOf, type SecretStore } from '../../engine/secrets/index.ts';
import { resolveRunConfig } from '../../engine/service/index.ts';
import type { ActionKeyValues } from '../action-datastore.ts';
import type { EnvironmentManager } from '../environments/index.ts';
import { LiveMasker } from '../live-masker.ts';
import type { PackCache } from '../pack-cache.ts';
import { WrapperReportSchema, createActionScratch, defaultInterpreters, minimalEnv, runProcess } from '../runner/index.ts';
import { SENSOR_STOP_GRACE_MS } from './defaults.ts';
import { lineLogger } from './line-log.ts';
import { sensorServices, type EmitTrigger } from './sensor-services.ts';
import type { SensorEnd, SensorRun } from './sensor-supervisor.ts';

/** What starting a sensor's process needs. */
export interface LauncherDeps {
  registry: Pick<Registry, 'getPack' | 'listRules'>;
  configs: Pick<PackConfigStore, 'get'>;
  secrets: Pick<SecretStore, 'readById' | 'invalidate' | 'prefix'>;
  packs: Pick<PackCache, 'ensure'>;
  environments: Pick<EnvironmentManager, 'ensure'>;
  keyValues: ActionKeyValues;
  states: { recordDispatch(ref: string, at: string): Promise<void> };
  emit: EmitTrigger;
  log: Log;
  /** Called with each dispatch of any sensor once it is through. */
  onDispatched?: (sensor: string, result: { triggerInstance: string; executions: string[] }) => void;
}

/** A trigger as st2 hands it to `add_trigger`: one per distinct (type, parameters) that rules use. */
export interface SensorTrigger {
  id: string;
  ref: string;
  name: string;
  pack: string;
  type: string;
  parameters: Record<string, unknown>;
}

/** The triggers of the sensor's types that enabled rules use, as st2's trigger watcher hands them over at start. */
export async function sensorTriggers(registry: Pick<Registry, 'listRules'>, sensor: RegisteredSensor): Promise<SensorTrigger[]> {
  const out = new Map<string, SensorTrigger>();
  for (const type of sensor.triggerTypes) {
    for (const rule of await registry.listRules(type)) {
      if (rule.enabled === false) continue;
      const parameters = (rule.trigger.parameters ?? {}) as Record<string, unknown>;
      const key = `${type}\u0000${JSON.stringify(parameters)}`;
      if (out.has(key)) continue;
      const [pack = '', ...rest] = type.split('.');
      out.set(key, { id: `${type}:${out.size}`, ref: type, name: rest.join('.'), pack, type, parameters });
    }
  }
  return [...out.values()];
}

/**
 * Starts a sensor's process, StackStorm's sensor wrapper for one sensor: in its pack's Python
 * environment (built on first use by the environment manager), under the subreaper launcher (so
 * nothing it starts outlives it, and it dies with its host), with the minimal environment, and
 * its input on stdin: the sensor's metadata, its pack's config (secrets resolved) and the
 * triggers in use. Nothing secret goes in env or argv. Its stdout/stderr become the host's log
 * lines, masked; its dispatches and datastore calls are served on the service channel. Aborting
 * `signal` stops it (SIGTERM, then SIGKILL after the grace).
 *
 * @example
 * const run = await launchSensor(deps, sensor, abort.signal);
 * const end = await run.ended;
 */
export async function launchSensor(deps: LauncherDeps, sensor: RegisteredSensor, signal: AbortSignal): Promise<SensorRun> {
  const log = deps.log;
  const [pack, packDir, runConfig, triggers] = await Promise.all([
    deps.registry.getPack(sensor.pack),
    deps.packs.ensure(sensor.digest),
    resolveRunConfig(deps, sensor.pack),
    sensorTriggers(deps.registry, sensor),
  ]);
  const environment = await deps.environments.ensure({ ref: sensor.pack, ...(pack?.python ? { python: pack.python } : {}), files: pack?.files ?? {}, dir: packDir });
  const masker = new LiveMasker(runConfig.secretValues.flatMap((v) => secretValuesOf(v)));
  const scratch = await createActionScratch();
  const wrapper = join(defaultInterpreters().wrappersDir, 'python', 'attune_sensor_wrapper.py');
  const entry = resolve(packDir, sensor.entryPoint);
  const input = {
    sensor: { ref: sensor.ref, pack: sensor.pack, class_name: sensor.class_name, file: sensor.entryPoint, trigger_types: sensor.triggerTypes, ...(sensor.poll_interval ? { poll_interval: sensor.poll_interval } : {}) },
    config: runConfig.config,
    triggers,
  };
  const stdout = lineLogger(log, masker.createStreamMasker(), { sensor: sensor.ref, stream: 'stdout' });
  const stderr = lineLogger(log, masker.createStreamMasker(), { sensor: sensor.ref, stream: 'stderr' });
  let spawned: (pid: number) => void = () => undefined;
  const started = new Promise<number>((r) => (spawned = r));
  const outcome = runProcess(
    {
      command: environment.python,
      args: ['-u', wrapper, '--pack-dir', packDir, entry],
      cwd: scratch.home,
      env: minimalEnv({ home: scratch.home, tmpDir: scratch.tmp, pathPrefix: environment.pathPrefix, extra: { ST2_SENSOR_PACK_NAME: sensor.pack, ST2_SENSOR_CLASS_NAME: sensor.class_name } }),
      stdin: JSON.stringify(input),
      // A sensor runs until it is stopped: no timeout (runProcess caps the timer itself).
      timeoutMs: Number.MAX_SAFE_INTEGER,
      killGraceMs: SENSOR_STOP_GRACE_MS,
      signal,
      services: sensorServices({
        sensor: sensor.ref,
        emit: deps.emit,
        keyValues: deps.keyValues,
        recordDispatch: (at) => deps.states.recordDispatch(sensor.ref, at),
        onSecret: (value) => masker.add(secretValuesOf(value)),
        onDispatched: (result) => deps.onDispatched?.(sensor.ref, result),
      }),
      serviceOptions: { onInternalError: logFailure(log, 'could not serve a request of the sensor', { sensor: sensor.ref }) },
    },
    { onStdout: stdout.write, onStderr: stderr.write, onSpawn: (pid) => spawned(pid) },
  );
  const ended: Promise<SensorEnd> = outcome
    .then((out) => {
      const report = WrapperReportSchema.safeParse(out.result);
      const error = report.success && report.data.error ? { type: report.data.error.type, message: masker.masker.maskText(report.data.error.message) } : undefined;
      return { exitCode: out.exitCode, signal: out.signal, ...(error ? { error } : {}) };
    })
    .finally(async () => {
      stdout.end();
      stderr.end();
      await scratch.dispose();
    });
  const pid = await Promise.race([started, ended.then((end) => Promise.reject(new Error(`the sensor process did not start (${end.exitCode ?? end.signal})`)))]);
  return { pid, cmd: `python attune_sensor_wrapper.py --pack=${sensor.pack} --file-path=${sensor.entryPoint} --class-name=${sensor.class_name}`, ended };
}
