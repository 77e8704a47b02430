import { inRequestScope } from '../contract/index.ts';
import { LEASED_STATUSES, type ExecutionKeys } from '../executions/index.ts';
import { METRIC, processMetrics } from '../metrics/index.ts';
import { RECORD_LEASE } from '../slots/index.ts';
import type { ExecutionLifecycle } from './lifecycle.ts';
import type { ReapResult } from './outcomes.ts';
import type { LifecyclePorts } from './ports.ts';
import { resendLostTaskEnds, type StalledWorkflowPorts } from './stalled-workflows.ts';

/**
 * How long a `requested` execution may stay unenqueued before the reaper enqueues it: far longer
 * than a request's create-then-send, well inside SQS's five-minute deduplication window, so a
 * creator that is only slow never sends its message twice.
 */
export const STRANDED_AFTER_MS = 60_000;

/**
 * One repair pass after lost workers. First every lapsed slot lease: its execution ends `abandoned`
 * (or is retried) and the slot is freed. Then every live execution whose lease, kept in its own
 * record (a key without a limit), lapsed, or whose slot item no longer names it (its worker died
 * between taking over a slot and abandoning the previous holder, or failed to store the end of a
 * run after releasing): it is abandoned too, so nothing stays `running` forever. Given the
 * workflow runs and events, a live workflow whose run has not heard of a task execution's end (the
 * send after storing it failed) is told again. Safe to run concurrently and repeatedly: each step
 * is conditional. A failure on one item is counted and the pass goes on; the next pass tries again.
 */
export async function reapExpiredLeases(
  lifecycle: Pick<ExecutionLifecycle, 'abandon' | 'expireInquiry' | 'enqueueStranded'>,
  ports: Pick<LifecyclePorts, 'slots' | 'executions'> & Partial<Omit<StalledWorkflowPorts, 'executions'>>,
  now = Date.now(),
): Promise<ReapResult> {
  const result: ReapResult = { abandoned: [], retried: [], released: 0, expired: [], enqueued: [], resent: [], failed: [] };
  const workflows: ExecutionKeys[] = [];
  const abandon = async (id: string) => {
    const { abandoned, retry } = await inRequestScope('reaper', id, () => lifecycle.abandon(id));
    if (abandoned) {
      result.abandoned.push(id);
      processMetrics().count(METRIC.reaperAbandonments);
    }
    if (retry) result.retried.push(retry);
  };
  for (const lease of await ports.slots.expired(now)) {
    try {
      await abandon(lease.holder);
      if (await ports.slots.release(lease, now)) result.released++;
    } catch (err) {
      result.failed.push(`${lease.holder}: ${(err as Error).message}`);
    }
  }
  // A plain execution holds a lease in these; a workflow (no lease) waits on its tasks in them.
  for (const status of LEASED_STATUSES) {
    for (const e of await ports.executions.keysByStatus(status)) {
      if (!e.lease) {
        workflows.push(e);
        continue;
      }
      try {
        if (e.lease === RECORD_LEASE) {
          // A lease kept in the record: lapsed is abandoned, and there is no slot to free.
          if ((e.leaseUntil ?? 0) < now) await abandon(e.id);
        } else if ((await ports.slots.holderOf({ policyKey: e.policyKey, sk: e.lease })) !== e.id) await abandon(e.id);
      } catch (err) {
        result.failed.push(`${e.id}: ${(err as Error).message}`);
      }
    }
  }
  if (ports.workflowRuns && ports.workflowEvents) {
    result.resent = await resendLostTaskEnds({ executions: ports.executions, workflowRuns: ports.workflowRuns, workflowEvents: ports.workflowEvents }, workflows, now, result.failed);
  }
  // Created but never enqueued (a retry's record, a rule's execution whose creator stopped): enqueued now.
  for (const e of await ports.executions.strandedBefore(new Date(now - STRANDED_AFTER_MS).toISOString())) {
    try {
      if (await lifecycle.enqueueStranded(e.id)) result.enqueued.push(e.id);
    } catch (err) {
      result.failed.push(`${e.id}: ${(err as Error).message}`);
    }
  }
  // Inquiries whose TTL passed unanswered time out (pending ones are few: a Get each is fine).
  for (const e of await ports.executions.keysByStatus('pending')) {
    try {
      const inquiry = (await ports.executions.find(e.id))?.inquiry;
      if (inquiry?.expiresAt && Date.parse(inquiry.expiresAt) <= now && (await lifecycle.expireInquiry(e.id))) result.expired.push(e.id);
    } catch (err) {
      result.failed.push(`${e.id}: ${(err as Error).message}`);
    }
  }
  return result;
}
