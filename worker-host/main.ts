#!/usr/bin/env node
/**
 * The worker host process: `node worker-host/main.ts`. Reads the contract's resource settings
 * and the worker settings from its environment, polls the execution queue until SIGTERM/SIGINT,
 * then drains.
 */
import { createAwsClients, loadRuntimeConfig } from '../engine/contract/index.ts';
import { createStores } from '../engine/stores/index.ts';
import { workerDeps } from './deps.ts';
import { loadWorkerSettings } from './settings.ts';
import { SHUTDOWN_SIGNALS, Worker } from './worker.ts';

const deps = workerDeps(createStores(createAwsClients(), loadRuntimeConfig()), loadWorkerSettings());
// Says once how actions run, and refuses to start when the accounts asked for cannot be had.
await deps.isolation?.start();
const worker = new Worker(deps);
for (const signal of SHUTDOWN_SIGNALS) process.once(signal, () => worker.drain());
await worker.run();
await deps.isolation?.close();
