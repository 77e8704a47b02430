import type { ArtifactStore } from '../artifacts/index.ts';
import type { ExecutionStore } from '../executions/index.ts';
import type { Log } from '../logging/index.ts';
import type { Metrics } from '../metrics/index.ts';
import type { ExecutionQueue } from '../queue/index.ts';
import type { Registry } from '../registry/index.ts';
import type { SecretStore } from '../secrets/index.ts';
import type { SlotStore, WakeChannel } from '../slots/index.ts';
import type { ActionTriggerWatch, TriggerEventSink } from '../triggers/index.ts';
import type { WorkflowEventSink } from '../workflow-runs/events.ts';

/**
 * What the lifecycle needs of storage: the execution records (conditional transitions), the slot
 * leases, the FIFO queue, the secret store (sealed parameters), the artifacts bucket (large
 * results) and the policies of an action. The real stores come from createStores; unit tests
 * pass in-memory fakes with the same methods.
 */
export interface LifecyclePorts {
  executions: Pick<ExecutionStore, 'create' | 'find' | 'get' | 'transition' | 'transitionWithSuccessor' | 'update' | 'keysByStatus' | 'strandedBefore'>;
  slots: Pick<SlotStore, 'claim' | 'heartbeat' | 'release' | 'releaseWatched' | 'watch' | 'holderOf' | 'expired'>;
  /** Cross-host wake-ups: a release tells the hosts watching the slot. Absent, waiters rely on their back-off. */
  wakes?: Pick<WakeChannel, 'wake'>;
  queue: Pick<ExecutionQueue, 'enqueue'>;
  secrets: Pick<SecretStore, 'readById' | 'create' | 'prefix'>;
  artifacts: Pick<ArtifactStore, 'storeResult'>;
  policies: Pick<Registry, 'policiesFor'>;
  /** Workflow events: a workflow's start, and the end of a workflow's task execution. */
  workflowEvents: WorkflowEventSink;
  /** The intake: told once of every ended execution (st2's actiontrigger and notifications). */
  intake?: Pick<TriggerEventSink, 'executionEnded'>;
  /**
   * Whether a rule watches the actiontrigger; absent, every end is announced. An end whose action
   * has no `notify` is announced only when one does.
   */
  actionTriggerWatch?: Pick<ActionTriggerWatch, 'watched'>;
  log: Log;
  /** Where the lifecycle counts requests, starts and ends; default this process's (processMetrics). */
  metrics?: Metrics;
  /** Epoch milliseconds; tests move it. */
  now?: () => number;
}
