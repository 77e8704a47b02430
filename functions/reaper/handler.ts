import { createAwsClients, loadRuntimeConfig } from '../../engine/contract/index.ts';
import { reapExpiredLeases, type ExecutionLifecycle, type ReapResult } from '../../engine/lifecycle/index.ts';
import { createLog, type Log } from '../../engine/logging/index.ts';
import { createLifecycle, createStores, type Stores } from '../../engine/stores/index.ts';

/** What a reaper pass runs on: the stores and the lifecycle over them. */
export interface ReaperDeps {
  stores: Stores;
  lifecycle: ExecutionLifecycle;
  log: Log;
}

/** Builds the reaper's dependencies from the contract's env vars and client factory. */
export function reaperDepsFromEnv(env: Record<string, string | undefined> = process.env): ReaperDeps {
  const stores = createStores(createAwsClients({ env }), loadRuntimeConfig(env));
  const log = createLog('attune-reaper');
  return { stores, lifecycle: createLifecycle(stores, log), log };
}

/** One reaper pass, logged: what `attune dev` runs on a timer and the Lambda on its schedule. */
export async function reap(deps: ReaperDeps): Promise<ReapResult> {
  const result = await reapExpiredLeases(deps.lifecycle, deps.stores);
  if (result.abandoned.length > 0) deps.log('info', 'reaped expired leases', { ...result });
  if (result.failed.length > 0) deps.log('warn', 'some leases could not be reaped; the next run retries them', { failed: result.failed });
  return result;
}

let deps: ReaperDeps | undefined;

/** Scheduled Lambda (every minute): abandons executions whose lease lapsed and frees their slots. */
export const handler = async (): Promise<ReapResult> => reap((deps ??= reaperDepsFromEnv()));
