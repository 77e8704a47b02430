import type { MetricName } from '../contract/index.ts';
import type { MetricDimensions, Metrics, MetricsSnapshot } from './port.ts';
import { Tally, cleanDimensions, round } from './tally.ts';

/**
 * Metrics kept as totals in this process and written nowhere: what `attune dev` uses, so the
 * console it shows is not flooded, and what `GET /v1/stats` reads as the answering process's own.
 */
export class MemoryMetrics implements Metrics {
  readonly #totals: Tally;

  constructor(now: () => number = Date.now) {
    this.#totals = new Tally(new Date(now()).toISOString());
  }

  count(name: MetricName, n = 1, dimensions?: MetricDimensions): void {
    this.#totals.count(name, n, cleanDimensions(dimensions));
  }

  timing(name: MetricName, ms: number, dimensions?: MetricDimensions): void {
    if (Number.isFinite(ms)) this.#totals.timing(name, round(Math.max(0, ms)), cleanDimensions(dimensions));
  }

  flush(): void {}

  snapshot(): MetricsSnapshot {
    return this.#totals.snapshot('memory');
  }
}

/** Metrics switched off: every call is a no-op. */
export class NoMetrics implements Metrics {
  readonly #since = new Date().toISOString();
  count(_name: MetricName, _n?: number, _dimensions?: MetricDimensions): void {}
  timing(_name: MetricName, _ms: number, _dimensions?: MetricDimensions): void {}
  flush(): void {}
  snapshot(): MetricsSnapshot {
    return { mode: 'off', since: this.#since, counters: [], timings: [] };
  }
}
