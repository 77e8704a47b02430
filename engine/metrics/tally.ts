import type { MetricName } from '../contract/index.ts';
import type { CounterTotal, MetricDimensions, MetricsMode, MetricsSnapshot, TimingTotal } from './port.ts';

/** One series: a metric name with one set of dimension values. */
export const seriesKey = (name: MetricName, dimensions: MetricDimensions): string =>
  `${name}|${dimensions.Status ?? ''}|${dimensions.Kind ?? ''}`;

/** Keeps only the dimensions that are set, in a fixed order (Status, Kind). */
export function cleanDimensions(dimensions: MetricDimensions | undefined): MetricDimensions {
  const out: MetricDimensions = {};
  if (dimensions?.Status !== undefined) out.Status = String(dimensions.Status);
  if (dimensions?.Kind !== undefined) out.Kind = String(dimensions.Kind);
  return out;
}

/**
 * Running totals per series: counters summed, timings as count/sum/min/max. Bounded by the
 * number of series, which the closed dimension set keeps small.
 */
export class Tally {
  readonly #counters = new Map<string, CounterTotal>();
  readonly #timings = new Map<string, TimingTotal>();
  readonly #since: string;

  constructor(since: string) {
    this.#since = since;
  }

  count(name: MetricName, n: number, dimensions: MetricDimensions): void {
    const key = seriesKey(name, dimensions);
    const total = this.#counters.get(key) ?? { name, dimensions, value: 0 };
    total.value += n;
    this.#counters.set(key, total);
  }

  timing(name: MetricName, ms: number, dimensions: MetricDimensions): void {
    const key = seriesKey(name, dimensions);
    const total = this.#timings.get(key) ?? { name, dimensions, count: 0, sumMs: 0, minMs: ms, maxMs: ms };
    total.count += 1;
    total.sumMs += ms;
    total.minMs = Math.min(total.minMs, ms);
    total.maxMs = Math.max(total.maxMs, ms);
    this.#timings.set(key, total);
  }

  snapshot(mode: MetricsMode): MetricsSnapshot {
    const byName = (a: { name: string; dimensions: MetricDimensions }, b: { name: string; dimensions: MetricDimensions }) =>
      a.name.localeCompare(b.name) || seriesKey(a.name as MetricName, a.dimensions).localeCompare(seriesKey(b.name as MetricName, b.dimensions));
    return {
      mode,
      since: this.#since,
      counters: [...this.#counters.values()].map((c) => ({ ...c, dimensions: { ...c.dimensions } })).sort(byName),
      timings: [...this.#timings.values()].map((t) => ({ ...t, dimensions: { ...t.dimensions }, sumMs: round(t.sumMs), minMs: round(t.minMs), maxMs: round(t.maxMs) })).sort(byName),
    };
  }
}

/** Milliseconds to one decimal: finer is noise for queue waits and run times. */
export const round = (ms: number): number => Math.round(ms * 10) / 10;
