#!/usr/bin/env node
/**
 * The worker host process: `node worker-host/main.ts`. Reads the contract's resource settings
 * and the worker settings from its environment, polls the execution queue until SIGTERM/SIGINT,
 * then drains, within ATTUNE_DRAIN_SECONDS. On ECS it keeps its task protected from scale-in while
 * actions run. With `--sensors` it is the sensor host instead: it runs the registered sensors
 * (one supervised process each, at most one across hosts) until SIGTERM/SIGINT.
 */
import { createStoreClients, loadRuntimeConfig } from '../engine/contract/index.ts';
import { processMetrics } from '../engine/metrics/index.ts';
import { createStores } from '../engine/stores/index.ts';
import { workerDeps } from './deps.ts';
import { stageNode, stageWrappers } from './runner/index.ts';
import { SensorHost, loadSensorSettings, sensorHostDeps } from './sensors/index.ts';
import { loadWorkerSettings } from './settings.ts';
import { drainWithin, loadDrainSeconds } from './shutdown.ts';
import { taskProtectionFromEnv } from './task-protection.ts';
import { SHUTDOWN_SIGNALS, Worker } from './worker.ts';

// The store clients alone: a worker never calls EventBridge or Scheduler.
const stores = createStores(createStoreClients(), loadRuntimeConfig());
if (process.argv.includes('--sensors')) {
  const host = new SensorHost(sensorHostDeps(stores, loadWorkerSettings(), loadSensorSettings()));
  for (const signal of SHUTDOWN_SIGNALS) process.once(signal, () => host.drain());
  await host.run();
  processMetrics().flush();
} else {
  const deps = workerDeps(stores, loadWorkerSettings());
  // Says once how actions run, and refuses to start when the accounts asked for cannot be had.
  await deps.isolation?.start();
  // Actions run as other accounts: the wrappers they start through must be within their reach.
  if (await deps.isolation?.active()) {
    await stageWrappers(deps.settings.cacheDir, deps.log);
    await stageNode(deps.settings.cacheDir, deps.log);
  }
  // On ECS: protected from scale-in while actions run, so a scale-in stops only idle tasks.
  const protection = taskProtectionFromEnv(process.env, deps.log);
  const drainSeconds = loadDrainSeconds();
  const worker = new Worker({ ...deps, ...(protection ? { onBusyChange: (busy: boolean) => protection.busyChanged(busy) } : {}) });
  for (const signal of SHUTDOWN_SIGNALS) process.once(signal, () => drainWithin(worker, drainSeconds, deps.log));
  await worker.run();
  await protection?.close();
  // Drained: what was measured since the last periodic flush is written before the task stops.
  processMetrics().flush();
  await deps.isolation?.close();
}
