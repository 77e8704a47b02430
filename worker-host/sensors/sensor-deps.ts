import { setTimeout as delay } from 'node:timers/promises';
import { createLog, type Log } from '../../engine/logging/index.ts';
import { Engine } from '../../engine/service/index.ts';
import { createLifecycle, type Stores } from '../../engine/stores/index.ts';
import { EnvironmentManager } from '../environments/index.ts';
import { PackCache } from '../pack-cache.ts';
import type { WorkerSettings } from '../settings.ts';
import { SENSOR_REFRESH_MS } from './defaults.ts';
import { launchSensor, type LauncherDeps } from './sensor-launcher.ts';
import type { SensorHostDeps } from './sensor-host.ts';

/** Resolves after `ms`, or at once when `signal` aborts. */
export async function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  await delay(ms, undefined, { signal }).catch((err: unknown) => {
    if ((err as Error).name !== 'AbortError') throw err;
  });
}

/**
 * Everything a sensor host runs on, built from the engine's stores: dispatches go through the
 * engine's intake path (`emitTrigger`, as `POST /v1/events`), leases and states to the leases table.
 *
 * @example
 * const host = new SensorHost(sensorHostDeps(createStores(createAwsClients(), loadRuntimeConfig()), loadWorkerSettings()));
 */
export function sensorHostDeps(
  stores: Stores,
  settings: WorkerSettings,
  options: { log?: Log; refreshMs?: number; onDispatched?: LauncherDeps['onDispatched'] } = {},
): SensorHostDeps {
  const log = options.log ?? createLog('attune-sensors', { host: settings.workerId });
  const engine = new Engine(stores, { log, lifecycle: createLifecycle(stores, log) });
  const launcher: LauncherDeps = {
    registry: stores.registry,
    configs: stores.configs,
    secrets: stores.secrets,
    packs: new PackCache(settings.cacheDir, stores.registry),
    environments: new EnvironmentManager({ cacheDir: settings.cacheDir, log }),
    keyValues: stores.keyValues,
    states: stores.sensorStates,
    emit: (trigger) => engine.emitTrigger(trigger),
    log,
    ...(options.onDispatched ? { onDispatched: options.onDispatched } : {}),
  };
  return {
    registry: stores.registry,
    log,
    settings: { host: settings.workerId, leaseTtlMs: settings.leaseTtlSeconds * 1000, refreshMs: options.refreshMs ?? SENSOR_REFRESH_MS },
    ports: {
      leases: stores.sensorLeases,
      states: stores.sensorStates,
      launch: (sensor, signal) => launchSensor(launcher, sensor, signal),
      emit: async (type, payload) => void (await engine.dispatchTrigger({ type, payload })),
      sleep: abortableSleep,
      now: Date.now,
      log,
    },
  };
}
