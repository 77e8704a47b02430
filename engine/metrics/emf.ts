import { METRICS_NAMESPACE, type MetricName } from '../contract/index.ts';
import type { MetricDimensions, Metrics, MetricsSnapshot } from './port.ts';
import { Tally, cleanDimensions, round, seriesKey } from './tally.ts';

/** EMF takes at most 100 values per metric in one document. */
export const EMF_MAX_VALUES = 100;

/** Every metric of one flush that shares a set of dimension values. */
interface Group {
  dimensions: MetricDimensions;
  counts: Map<MetricName, number>;
  timings: Map<MetricName, number[]>;
}

/** One Embedded Metric Format document, as CloudWatch Logs reads it. */
export interface EmfDocument {
  _aws: {
    Timestamp: number;
    CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string; Unit: 'Count' | 'Milliseconds' }[] }[];
  };
  [member: string]: unknown;
}

export interface EmfOptions {
  stage: string;
  /** Writes one line (a JSON document, no newline); default stdout. */
  write?: (line: string) => void;
  /**
   * Flush every this many milliseconds; 0 writes each emission at once (a Lambda: it may be frozen
   * right after its handler returns, before a timer fires). Default 60 s.
   */
  flushIntervalMs?: number;
  now?: () => number;
}

/**
 * Metrics as Embedded Metric Format lines on stdout: the awslogs driver (ECS) and Lambda ship
 * stdout to CloudWatch Logs, which extracts the metrics. Emissions are aggregated per series
 * between flushes (counters summed, timings as up to 100 values a document), so a busy worker
 * writes a few lines a minute, not one per fact. Dimensions: `Stage`, plus `Status` or `Kind`
 * where the metric has one.
 * @example
 * const metrics = new EmfMetrics({ stage: 'prod' });
 * metrics.count(METRIC.executionsEnded, 1, { Status: 'failed' });
 * metrics.flush(); // {"_aws":{"Timestamp":…,"CloudWatchMetrics":[{"Namespace":"Attune",…}]},"Stage":"prod","Status":"failed","ExecutionsEnded":1}
 */
export class EmfMetrics implements Metrics {
  readonly #stage: string;
  readonly #write: (line: string) => void;
  readonly #immediate: boolean;
  readonly #now: () => number;
  readonly #totals: Tally;
  #pending = new Map<string, Group>();

  constructor(options: EmfOptions) {
    this.#stage = options.stage;
    this.#write = options.write ?? ((line) => process.stdout.write(`${line}\n`));
    this.#now = options.now ?? Date.now;
    this.#totals = new Tally(new Date(this.#now()).toISOString());
    const interval = options.flushIntervalMs ?? 60_000;
    this.#immediate = interval === 0;
    // Unref'd: a process that is otherwise done exits without waiting for the next flush.
    if (!this.#immediate) setInterval(() => this.flush(), interval).unref();
  }

  count(name: MetricName, n = 1, dimensions?: MetricDimensions): void {
    const dims = cleanDimensions(dimensions);
    this.#totals.count(name, n, dims);
    const group = this.#group(dims);
    group.counts.set(name, (group.counts.get(name) ?? 0) + n);
    if (this.#immediate) this.flush();
  }

  timing(name: MetricName, ms: number, dimensions?: MetricDimensions): void {
    if (!Number.isFinite(ms)) return;
    const dims = cleanDimensions(dimensions);
    const value = round(Math.max(0, ms));
    this.#totals.timing(name, value, dims);
    const group = this.#group(dims);
    const values = group.timings.get(name) ?? [];
    values.push(value);
    group.timings.set(name, values);
    if (this.#immediate) this.flush();
  }

  flush(): void {
    const groups = [...this.#pending.values()];
    this.#pending = new Map();
    const timestamp = this.#now();
    for (const group of groups) {
      for (const document of emfDocuments(this.#stage, group, timestamp)) this.#write(JSON.stringify(document));
    }
  }

  snapshot(): MetricsSnapshot {
    return this.#totals.snapshot('emf');
  }

  #group(dimensions: MetricDimensions): Group {
    const key = seriesKey('' as MetricName, dimensions);
    let group = this.#pending.get(key);
    if (!group) {
      group = { dimensions, counts: new Map(), timings: new Map() };
      this.#pending.set(key, group);
    }
    return group;
  }
}

/**
 * The documents of one group: the first carries every counter and the first 100 values of each
 * timing; further documents carry the rest of the timings, 100 values each.
 */
function emfDocuments(stage: string, group: Group, timestamp: number): EmfDocument[] {
  const dimensionNames = ['Stage', ...Object.keys(group.dimensions)];
  const documents: EmfDocument[] = [];
  const longest = Math.max(0, ...[...group.timings.values()].map((v) => v.length));
  const chunks = Math.max(1, Math.ceil(longest / EMF_MAX_VALUES));
  for (let chunk = 0; chunk < chunks; chunk++) {
    const members: Record<string, unknown> = {};
    const metrics: { Name: string; Unit: 'Count' | 'Milliseconds' }[] = [];
    if (chunk === 0) {
      for (const [name, value] of group.counts) {
        metrics.push({ Name: name, Unit: 'Count' });
        members[name] = value;
      }
    }
    for (const [name, values] of group.timings) {
      const part = values.slice(chunk * EMF_MAX_VALUES, (chunk + 1) * EMF_MAX_VALUES);
      if (part.length === 0) continue;
      metrics.push({ Name: name, Unit: 'Milliseconds' });
      members[name] = part.length === 1 ? part[0] : part;
    }
    if (metrics.length === 0) continue;
    documents.push({
      _aws: { Timestamp: timestamp, CloudWatchMetrics: [{ Namespace: METRICS_NAMESPACE, Dimensions: [dimensionNames], Metrics: metrics }] },
      Stage: stage,
      ...group.dimensions,
      ...members,
    });
  }
  return documents;
}
