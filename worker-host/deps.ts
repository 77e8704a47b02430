import type { AwsClients, RuntimeConfig } from '../engine/contract/index.ts';
import { ExecutionStore } from '../engine/executions/index.ts';
import { ExecutionQueue } from '../engine/queue/index.ts';
import { Registry } from '../engine/registry/index.ts';
import { SecretStore } from '../engine/secrets/index.ts';
import { SlotStore } from '../engine/slots/index.ts';
import { EnvironmentManager } from './environments/index.ts';
import { PackCache } from './pack-cache.ts';
import type { WorkerSettings } from './settings.ts';
import type { WorkerDeps } from './worker.ts';

/** One JSON line per event on stderr: what the worker host logs by default. */
export const jsonLog: WorkerDeps['log'] = (level, message, fields = {}) =>
  process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), level, message, ...fields })}\n`);

/**
 * Everything a worker runs on, built from the contract's clients and resource names; `overrides`
 * replace single ports (a different log sink, a queue with its own behaviour).
 *
 * @example
 * const worker = new Worker(workerDeps(createAwsClients(), loadRuntimeConfig(), loadWorkerSettings()));
 */
export function workerDeps(clients: AwsClients, config: RuntimeConfig, settings: WorkerSettings, overrides: Partial<WorkerDeps> = {}): WorkerDeps {
  const log = overrides.log ?? jsonLog;
  const registry = new Registry({ ddb: clients.ddb, s3: clients.s3, table: config.registryTable, bucket: config.artifactsBucket });
  return {
    clients,
    config,
    settings,
    store: new ExecutionStore(clients.ddb, config.executionsTable),
    registry,
    packs: new PackCache(settings.cacheDir, registry),
    slots: new SlotStore(clients.ddb, { leases: config.leasesTable, executions: config.executionsTable }),
    secrets: new SecretStore({ client: clients.secrets, prefix: config.secretPrefix }),
    environments: new EnvironmentManager({ cacheDir: settings.cacheDir, log: (line) => log('info', line) }),
    queue: new ExecutionQueue(clients.sqs, config.executionQueueUrl),
    ...overrides,
    log,
  };
}
