export { EMF_MAX_VALUES, EmfMetrics, METRICS_NAMESPACE } from './emf.ts';
export type { EmfDocument, EmfOptions } from './emf.ts';
export { MemoryMetrics, NoMetrics } from './memory.ts';
export { METRIC } from './port.ts';
export type { CounterTotal, MetricDimensions, MetricName, Metrics, MetricsMode, MetricsSnapshot, TimingTotal } from './port.ts';
export { DEFAULT_METRICS_MODE, METRICS_ENV, createMetrics, processMetrics, useProcessMetrics } from './settings.ts';
