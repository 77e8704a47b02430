export { METRIC, METRICS_ENV, METRICS_NAMESPACE } from '../contract/index.ts';
export type { MetricName } from '../contract/index.ts';
export { EMF_MAX_VALUES, EmfMetrics } from './emf.ts';
export type { EmfDocument, EmfOptions } from './emf.ts';
export { MemoryMetrics, NoMetrics } from './memory.ts';
export type { CounterTotal, MetricDimensions, Metrics, MetricsMode, MetricsSnapshot, TimingTotal } from './port.ts';
export { DEFAULT_METRICS_MODE, createMetrics, processMetrics, useProcessMetrics } from './settings.ts';
