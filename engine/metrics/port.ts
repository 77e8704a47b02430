import type { MetricName } from '../contract/index.ts';

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
