#!/usr/bin/env node
/**
 * The worker host process: `node worker-host/main.ts`. Reads the contract's resource settings
 * and the worker settings from its environment, polls the execution queue until SIGTERM/SIGINT,
 * then drains. With `--sensors` it is the sensor host instead: it runs the registered sensors
 * (one supervised process each, at most one across hosts) until SIGTERM/SIGINT.
 */
import { createAwsClients, loadRuntimeConfig } from '../engine/contract/index.ts';
import { createStores } from '../engine/stores/index.ts';
import { workerDeps } from './deps.ts';
import { SensorHost, loadSensorSettings, sensorHostDeps } from './sensors/index.ts';
import { loadWorkerSettings } from './settings.ts';
import { SHUTDOWN_SIGNALS, Worker } from './worker.ts';

const stores = createStores(createAwsClients(), loadRuntimeConfig());
const host = process.argv.includes('--sensors') ? new SensorHost(sensorHostDeps(stores, loadWorkerSettings(), loadSensorSettings())) : new Worker(workerDeps(stores, loadWorkerSettings()));
for (const signal of SHUTDOWN_SIGNALS) process.once(signal, () => host.drain());
await host.run();
