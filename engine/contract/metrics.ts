/**
 * The names metrics are written and read under, shared by the runtime (engine/metrics writes
 * them) and the CDK stacks (alarms and the dashboard read them): one definition, many readers.
 */

/** The CloudWatch namespace of every Attune metric. */
export const METRICS_NAMESPACE = 'Attune';

/** The setting that picks how metrics are written: `emf`, `memory` or `off`. */
export const METRICS_ENV = 'ATTUNE_METRICS';

/**
 * What Attune measures, by name. Each is emitted at the one place its fact happens: the
 * lifecycle (requested, started, ended, queue wait, run time, slot hand-off), the reaper, the
 * worker's environments and bounded logs, and the workflow conductor.
 */
export const METRIC = {
  /** An execution was created (`requested`). */
  executionsRequested: 'ExecutionsRequested',
  /** An execution moved `scheduled → running` (a workflow: its conductor started it). */
  executionsStarted: 'ExecutionsStarted',
  /** An execution ended; dimension `Status` is the final status. */
  executionsEnded: 'ExecutionsEnded',
  /** Milliseconds from `requested` to scheduled, measured as the run starts right after its claim. */
  queueWait: 'QueueWait',
  /** Milliseconds from a release of a key that had waiters to the next claim of that key in the same process. */
  slotHandoff: 'SlotHandoff',
  /** Milliseconds from `running` to the end. */
  runTime: 'RunTime',
  /** A pack environment (Python venv, st2 base, node_modules) was built; dimension `Kind`. */
  environmentBuilds: 'EnvironmentBuilds',
  /** An action stream (stdout or stderr) went past its log limit and was cut. */
  outputTruncations: 'OutputTruncations',
  /** The reaper ended an execution `abandoned` (its worker stopped renewing the lease). */
  reaperAbandonments: 'ReaperAbandonments',
  /** The conductor advanced a workflow on one event. */
  conductorSteps: 'ConductorSteps',
} as const;

export type MetricName = (typeof METRIC)[keyof typeof METRIC];
