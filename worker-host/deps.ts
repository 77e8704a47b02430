import { createLifecycle, type Stores } from '../engine/stores/index.ts';
import { createLog } from '../engine/logging/index.ts';
import { Engine } from '../engine/service/index.ts';
import { ActionCache } from '../engine/registry/index.ts';
import { EnvironmentManager } from './environments/index.ts';
import { PackCache } from './pack-cache.ts';
import { ActionIsolation, unreachableByOthers } from './runner/index.ts';
import { actionIsolationFrom, type WorkerSettings } from './settings.ts';
import type { WorkerDeps } from './worker.ts';

/**
 * Everything a worker runs on, built from the engine's stores; `overrides` replace single ports
 * (a different log sink, a queue with its own behaviour).
 *
 * @example
 * const worker = new Worker(workerDeps(createStores(createAwsClients(), loadRuntimeConfig()), loadWorkerSettings()));
 */
export function workerDeps(stores: Stores, settings: WorkerSettings, overrides: Partial<WorkerDeps> = {}): WorkerDeps {
  const log = overrides.log ?? createLog('attune-worker', { worker: settings.workerId });
  const lifecycle = overrides.lifecycle ?? createLifecycle(stores, log);
  const engine = new Engine(stores, { log, lifecycle });
  const isolation = new ActionIsolation({ mode: settings.actionIsolation ?? actionIsolationFrom(), slots: settings.concurrency, log, sharedDir: settings.cacheDir });
  return {
    settings,
    lifecycle,
    dispatch: (trigger) => engine.emitTrigger(trigger),
    store: stores.executions,
    registry: stores.registry,
    actions: new ActionCache(stores.registry),
    configs: stores.configs,
    packs: new PackCache(settings.cacheDir, stores.registry),
    secrets: stores.secrets,
    keyValues: stores.keyValues,
    artifacts: stores.artifacts,
    // Interpreters the action accounts cannot run are passed over, not found failing at run time.
    environments: new EnvironmentManager({ cacheDir: settings.cacheDir, log, ...(isolation.separatesAccounts ? { reach: unreachableByOthers } : {}) }),
    isolation,
    queue: stores.queue,
    wakes: stores.wakes,
    ...overrides,
    log,
  };
}
