import type { Execution, ExecutionStore } from '../engine/executions/index.ts';
import { AlreadyClaimed, SlotUnavailable, abandonExecution, type Lease, type RepairDeps } from '../engine/slots/index.ts';

/** What a claim attempt for a head message found. */
export type ClaimOutcome =
  | { kind: 'claimed'; execution: Execution; lease: Lease }
  /** Claimed before, canceled, or gone: delete the message, never start it. */
  | { kind: 'skip'; status: string }
  /** No free slot: the execution waits at the head of its group. */
  | { kind: 'full'; execution: Execution }
  /** A retry whose delay has not passed yet. */
  | { kind: 'not-yet'; execution: Execution; untilMs: number };

/** One claim attempt: reads the execution, then takes a slot and schedules it in one transaction. */
export async function tryClaim(deps: RepairDeps & { store: ExecutionStore }, executionId: string, worker: string, ttlMs: number): Promise<ClaimOutcome> {
  const execution = await deps.store.find(executionId);
  if (!execution) return { kind: 'skip', status: 'missing' };
  if (execution.status !== 'requested' && execution.status !== 'delayed') return { kind: 'skip', status: execution.status };
  const untilMs = execution.notBefore ? Date.parse(execution.notBefore) : 0;
  if (untilMs > Date.now()) return { kind: 'not-yet', execution, untilMs };
  try {
    const lease = await deps.slots.claim({ executionId, policyKey: execution.policyKey, limit: execution.limit, worker, ttlMs });
    // Took over a lapsed lease: its execution's worker is gone, so it ends abandoned (or retried).
    // Best effort: the claim stands either way, and the reaper abandons a live execution whose
    // lease names someone else.
    if (lease.replaced) await abandonExecution(deps, lease.replaced).catch(() => undefined);
    return { kind: 'claimed', execution: { ...execution, status: 'scheduled', worker, lease: lease.sk }, lease };
  } catch (err) {
    if (err instanceof AlreadyClaimed) return { kind: 'skip', status: err.found ?? 'missing' };
    if (err instanceof SlotUnavailable) return { kind: 'full', execution };
    throw err;
  }
}
