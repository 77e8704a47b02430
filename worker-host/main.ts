#!/usr/bin/env node
/**
 * The worker host process: `node worker-host/main.ts`. Reads the contract's resource settings
 * and the worker settings from its environment, polls the execution queue until SIGTERM/SIGINT,
 * then drains.
 */
import { createAwsClients, loadRuntimeConfig } from '../engine/contract/index.ts';
import { ExecutionStore } from '../engine/executions/index.ts';
import { ExecutionQueue } from '../engine/queue/index.ts';
import { Registry } from '../engine/registry/index.ts';
import { SecretStore } from '../engine/secrets/index.ts';
import { SlotStore } from '../engine/slots/index.ts';
import { EnvironmentManager } from './environments/index.ts';
import { PackCache } from './pack-cache.ts';
import { loadWorkerSettings } from './settings.ts';
import { SHUTDOWN_SIGNALS, Worker } from './worker.ts';

const log = (level: string, message: string, fields: Record<string, unknown> = {}) =>
  process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), level, message, ...fields })}\n`);

const settings = loadWorkerSettings();
const config = loadRuntimeConfig();
const clients = createAwsClients();
const registry = new Registry({ ddb: clients.ddb, s3: clients.s3, table: config.registryTable, bucket: config.artifactsBucket });
const store = new ExecutionStore(clients.ddb, config.executionsTable);
const worker = new Worker({
  clients,
  config,
  settings,
  store,
  registry,
  packs: new PackCache(settings.cacheDir, registry),
  slots: new SlotStore(clients.ddb, { leases: config.leasesTable, executions: config.executionsTable }),
  secrets: new SecretStore({ client: clients.secrets, prefix: config.secretPrefix }),
  environments: new EnvironmentManager({ cacheDir: settings.cacheDir, log: (line) => log('info', line) }),
  queue: new ExecutionQueue(clients.sqs, config.executionQueueUrl),
  log,
});
for (const signal of SHUTDOWN_SIGNALS) process.once(signal, () => worker.drain());
await worker.run();
