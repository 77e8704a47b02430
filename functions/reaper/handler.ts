import { createAwsClients, loadRuntimeConfig } from '../../engine/contract/index.ts';
import { reapExpiredLeases, type ExecutionLifecycle, type ReapResult } from '../../engine/lifecycle/index.ts';
import { isUnreachable } from '../../engine/errors/index.ts';
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
  if (result.abandoned.length > 0 || result.enqueued.length > 0 || result.resent.length > 0) deps.log('info', 'reaped expired leases and stranded executions', { ...result });
  if (result.failed.length > 0) deps.log('warn', 'some leases could not be reaped; the next run retries them', { failed: result.failed });
  return result;
}

/**
 * Reaper passes that tell an outage once: the first pass that cannot reach a dependency logs it,
 * the passes after it stay quiet until one succeeds, which logs the recovery. Any other failure is
 * logged every time. Never rejects: the next pass tries again.
 * @example const pass = reaperPasses(deps); setInterval(() => void pass(), 5_000);
 */
export function reaperPasses(deps: ReaperDeps): () => Promise<ReapResult | undefined> {
  let outageSince: number | undefined;
  return async () => {
    try {
      const result = await reap(deps);
      if (outageSince !== undefined) deps.log('info', 'the reaper reaches its dependencies again', { outageSeconds: Math.round((Date.now() - outageSince) / 1000) });
      outageSince = undefined;
      return result;
    } catch (err) {
      if (!isUnreachable(err)) {
        deps.log('error', 'reaper pass failed; the next pass tries again', { error: (err as Error).message });
      } else if (outageSince === undefined) {
        outageSince = Date.now();
        deps.log('warn', 'the reaper cannot reach its dependencies; it retries quietly until they answer', { error: (err as Error).message });
      }
      return undefined;
    }
  };
}

let deps: ReaperDeps | undefined;

/** Scheduled Lambda (every minute): abandons executions whose lease lapsed and frees their slots. */
export const handler = async (): Promise<ReapResult> => reap((deps ??= reaperDepsFromEnv()));
