import { describe, expect, it } from 'vitest';
import { EmfMetrics, METRIC, MemoryMetrics, NoMetrics, createMetrics } from '../../../engine/metrics/index.ts';
import { emfViolations } from './emf-spec.ts';

const T0 = Date.parse('2026-01-01T00:00:00Z');

/** An EMF emitter that writes into an array and flushes only when told. */
function emitter(stage = 'prod') {
  const lines: string[] = [];
  const metrics = new EmfMetrics({ stage, write: (line) => void lines.push(line), flushIntervalMs: 3_600_000, now: () => T0 });
  return { metrics, lines, documents: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('EMF emitter', () => {
  it('writes one document per dimension set, each valid under the EMF specification', () => {
    // Prepare
    const { metrics, documents } = emitter();
    // Act
    metrics.count(METRIC.executionsRequested);
    metrics.count(METRIC.executionsEnded, 1, { Status: 'succeeded' });
    metrics.count(METRIC.executionsEnded, 1, { Status: 'failed' });
    metrics.timing(METRIC.queueWait, 12.34);
    metrics.flush();
    // Assess
    const docs = documents();
    expect(docs).toHaveLength(3);
    for (const doc of docs) expect(emfViolations(doc)).toEqual([]);
    expect(docs[0]).toEqual({
      _aws: { Timestamp: T0, CloudWatchMetrics: [{ Namespace: 'Attune', Dimensions: [['Stage']], Metrics: [{ Name: 'ExecutionsRequested', Unit: 'Count' }, { Name: 'QueueWait', Unit: 'Milliseconds' }] }] },
      Stage: 'prod',
      ExecutionsRequested: 1,
      QueueWait: 12.3,
    });
    expect(docs[1]).toMatchObject({ _aws: { CloudWatchMetrics: [{ Dimensions: [['Stage', 'Status']] }] }, Status: 'succeeded', ExecutionsEnded: 1 });
    expect(docs[2]).toMatchObject({ Status: 'failed', ExecutionsEnded: 1 });
  });

  it('sums a counter between flushes and starts again after one', () => {
    const { metrics, documents } = emitter();
    for (let i = 0; i < 250; i++) metrics.count(METRIC.conductorSteps);
    metrics.flush();
    metrics.count(METRIC.conductorSteps, 2);
    metrics.flush();
    expect(documents().map((d) => d.ConductorSteps)).toEqual([250, 2]);
  });

  it('splits more than 100 timings of one flush over documents of at most 100 values', () => {
    // Prepare
    const { metrics, documents } = emitter();
    // Act
    for (let i = 0; i < 230; i++) metrics.timing(METRIC.runTime, i);
    metrics.count(METRIC.executionsStarted, 230);
    metrics.flush();
    // Assess: the counter once, the values in order, nothing lost.
    const docs = documents();
    expect(docs.map((d) => (d.RunTime as number[]).length)).toEqual([100, 100, 30]);
    expect(docs.flatMap((d) => d.RunTime as number[])).toEqual(Array.from({ length: 230 }, (_, i) => i));
    expect(docs.map((d) => d.ExecutionsStarted)).toEqual([230, undefined, undefined]);
    for (const doc of docs) expect(emfViolations(doc)).toEqual([]);
  });

  it('writes nothing when nothing was measured, and drops a timing that is not a number', () => {
    const { metrics, lines } = emitter();
    metrics.timing(METRIC.queueWait, Number.NaN);
    metrics.flush();
    expect(lines).toEqual([]);
  });

  it('keeps dimensions to the closed set, so an execution id can never become one', () => {
    const { metrics, documents } = emitter();
    metrics.count(METRIC.executionsEnded, 1, { Status: 'succeeded', execution: 'e-123' } as never);
    metrics.flush();
    const [doc] = documents();
    expect(doc).not.toHaveProperty('execution');
    expect(JSON.stringify(doc)).not.toContain('e-123');
  });

  it('writes each emission at once when flushing every 0 ms (a Lambda)', () => {
    const lines: string[] = [];
    const metrics = new EmfMetrics({ stage: 'dev', write: (l) => void lines.push(l), flushIntervalMs: 0 });
    metrics.count(METRIC.reaperAbandonments);
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ Stage: 'dev', ReaperAbandonments: 1 });
  });

  it('keeps the totals since the process started, whatever was flushed', () => {
    const { metrics } = emitter();
    metrics.count(METRIC.executionsEnded, 1, { Status: 'succeeded' });
    metrics.flush();
    metrics.count(METRIC.executionsEnded, 2, { Status: 'succeeded' });
    metrics.timing(METRIC.queueWait, 10);
    metrics.timing(METRIC.queueWait, 30);
    const snap = metrics.snapshot();
    expect(snap.mode).toBe('emf');
    expect(snap.counters).toEqual([{ name: 'ExecutionsEnded', dimensions: { Status: 'succeeded' }, value: 3 }]);
    expect(snap.timings).toEqual([{ name: 'QueueWait', dimensions: {}, count: 2, sumMs: 40, minMs: 10, maxMs: 30 }]);
  });
});

describe('metrics settings', () => {
  it('keeps metrics in memory unless ATTUNE_METRICS says otherwise', () => {
    expect(createMetrics({})).toBeInstanceOf(MemoryMetrics);
    expect(createMetrics({ ATTUNE_METRICS: 'off' })).toBeInstanceOf(NoMetrics);
    expect(createMetrics({ ATTUNE_METRICS: 'emf', ATTUNE_STAGE: 'prod', AWS_LAMBDA_FUNCTION_NAME: 'f' })).toBeInstanceOf(EmfMetrics);
  });

  it('refuses an unknown mode, naming the variable and what it takes', () => {
    expect(() => createMetrics({ ATTUNE_METRICS: 'statsd' })).toThrow(/ATTUNE_METRICS: expected one of emf, memory, off/);
  });

  it('counts nothing when switched off', () => {
    const metrics = new NoMetrics();
    metrics.count(METRIC.executionsRequested);
    expect(metrics.snapshot()).toMatchObject({ mode: 'off', counters: [], timings: [] });
  });
});
