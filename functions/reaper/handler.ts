import { createAwsClients, loadRuntimeConfig } from '../../engine/contract/index.ts';
import { ExecutionStore } from '../../engine/executions/index.ts';
import { ExecutionQueue } from '../../engine/queue/index.ts';
import { Registry } from '../../engine/registry/index.ts';
import { SlotStore, reapExpiredLeases, type ReapResult, type RepairDeps } from '../../engine/slots/index.ts';

/** Builds the reaper's dependencies from the contract's env vars and client factory. */
export function repairDepsFromEnv(env: Record<string, string | undefined> = process.env): RepairDeps {
  const config = loadRuntimeConfig(env);
  const clients = createAwsClients({ env });
  return {
    slots: new SlotStore(clients.ddb, { leases: config.leasesTable, executions: config.executionsTable }),
    store: new ExecutionStore(clients.ddb, config.executionsTable),
    queue: new ExecutionQueue(clients.sqs, config.executionQueueUrl),
    registry: new Registry({ ddb: clients.ddb, s3: clients.s3, table: config.registryTable, bucket: config.artifactsBucket }),
  };
}

let deps: RepairDeps | undefined;

/** Scheduled Lambda (every minute): abandons executions whose lease lapsed and frees their slots. */
export const handler = async (): Promise<ReapResult> => {
  deps ??= repairDepsFromEnv();
  const result = await reapExpiredLeases(deps);
  if (result.abandoned.length > 0) console.log(JSON.stringify({ level: 'info', message: 'reaped expired leases', ...result }));
  if (result.failed.length > 0) console.error(JSON.stringify({ level: 'warn', message: 'some leases could not be reaped; the next run retries them', failed: result.failed }));
  return result;
};
