import type { EmfDocument } from '../../../engine/metrics/index.ts';

const UNITS = new Set(['Seconds', 'Microseconds', 'Milliseconds', 'Bytes', 'Kilobytes', 'Megabytes', 'Gigabytes', 'Terabytes', 'Bits', 'Kilobits', 'Megabits', 'Gigabits', 'Terabits', 'Percent', 'Count', 'Bytes/Second', 'Kilobytes/Second', 'Megabytes/Second', 'Gigabytes/Second', 'Terabytes/Second', 'Bits/Second', 'Kilobits/Second', 'Megabits/Second', 'Gigabits/Second', 'Terabits/Second', 'Count/Second', 'None']);

/**
 * What the Embedded Metric Format specification requires of one document, checked rule by rule;
 * answers the violations (empty when it conforms). From the specification: `_aws.Timestamp` epoch
 * milliseconds; `CloudWatchMetrics` an array of directives, each with a `Namespace` (1–1024
 * characters), `Dimensions` (an array of dimension sets, each at most 30 names, every name a
 * string member of the root) and `Metrics` (at most 100, each a `Name` whose root member is a
 * number or an array of at most 100 numbers, and an optional valid `Unit`).
 */
export function emfViolations(document: unknown): string[] {
  const problems: string[] = [];
  if (typeof document !== 'object' || document === null) return ['not an object'];
  const root = document as EmfDocument & Record<string, unknown>;
  const aws = root._aws as Record<string, unknown> | undefined;
  if (typeof aws !== 'object' || aws === null) return ['no _aws member'];
  if (typeof aws.Timestamp !== 'number' || !Number.isInteger(aws.Timestamp) || aws.Timestamp < 0) problems.push('_aws.Timestamp is not epoch milliseconds');
  const directives = aws.CloudWatchMetrics;
  if (!Array.isArray(directives) || directives.length === 0) return [...problems, '_aws.CloudWatchMetrics is not a non-empty array'];
  for (const [i, d] of directives.entries()) {
    const directive = d as Record<string, unknown>;
    if (typeof directive.Namespace !== 'string' || directive.Namespace.length < 1 || directive.Namespace.length > 1024) problems.push(`directive ${i}: Namespace`);
    if (!Array.isArray(directive.Dimensions)) problems.push(`directive ${i}: Dimensions is not an array`);
    for (const set of (directive.Dimensions as unknown[]) ?? []) {
      if (!Array.isArray(set) || set.length > 30) problems.push(`directive ${i}: a dimension set is not an array of at most 30`);
      for (const name of (set as unknown[]) ?? []) {
        if (typeof name !== 'string' || typeof root[name] !== 'string') problems.push(`directive ${i}: dimension ${String(name)} has no string member`);
      }
    }
    const metrics = directive.Metrics;
    if (!Array.isArray(metrics) || metrics.length > 100) problems.push(`directive ${i}: Metrics is not an array of at most 100`);
    for (const m of (metrics as Record<string, unknown>[]) ?? []) {
      if (typeof m.Name !== 'string' || m.Name.length < 1 || m.Name.length > 1024) problems.push(`directive ${i}: a metric has no Name`);
      if (m.Unit !== undefined && !UNITS.has(m.Unit as string)) problems.push(`metric ${String(m.Name)}: Unit ${String(m.Unit)}`);
      const value = root[m.Name as string];
      const ok = typeof value === 'number' || (Array.isArray(value) && value.length >= 1 && value.length <= 100 && value.every((v) => typeof v === 'number'));
      if (!ok) problems.push(`metric ${String(m.Name)}: member is not a number or an array of at most 100 numbers`);
    }
  }
  return problems;
}
