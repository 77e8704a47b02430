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

/**
 * The dimensions a metric may carry besides `Stage`. Closed on purpose: an execution id, a key or
 * an action ref as a dimension would make a CloudWatch metric per value (each billed).
 */
export interface MetricDimensions {
  /** An execution's final status. */
  Status?: string;
  /** An environment's kind (`python`, `st2-base`, `node`). */
  Kind?: string;
}

/**
 * Where engine code reports what happened; it never sees the format. One call per fact, cheap
 * and synchronous (an in-memory tally), never throws.
 * @example metrics.count(METRIC.executionsEnded, 1, { Status: 'succeeded' });
 */
export interface Metrics {
  /** Adds `n` to a counter. */
  count(name: MetricName, n?: number, dimensions?: MetricDimensions): void;
  /** Records one duration in milliseconds. */
  timing(name: MetricName, ms: number, dimensions?: MetricDimensions): void;
  /** Writes what was gathered since the last flush (EMF); a no-op for the other modes. */
  flush(): void;
  /** Totals of this process since it started (what `GET /v1/stats` shows as `process`). */
  snapshot(): MetricsSnapshot;
}

/** A counter's total in one process. */
export interface CounterTotal {
  name: MetricName;
  dimensions: MetricDimensions;
  value: number;
}

/** A timing's summary in one process. */
export interface TimingTotal {
  name: MetricName;
  dimensions: MetricDimensions;
  count: number;
  sumMs: number;
  minMs: number;
  maxMs: number;
}

/** Cumulative totals of one process since `since` (ISO). */
export interface MetricsSnapshot {
  mode: MetricsMode;
  since: string;
  counters: CounterTotal[];
  timings: TimingTotal[];
}

/** `emf`: JSON lines on stdout (CloudWatch makes metrics of them); `memory`: totals only; `off`: nothing. */
export type MetricsMode = 'emf' | 'memory' | 'off';
