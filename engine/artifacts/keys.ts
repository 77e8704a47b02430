/** Which output stream of an action. */
export type LogStreamName = 'stdout' | 'stderr';

/**
 * Prefix of one stream's log segments (under `logs/`, which the lifecycle rule expires). A log is
 * stored as segments written while the action runs, each named by its byte offset, so readers
 * see it grow and no writer ever rewrites what it uploaded.
 */
export function logPrefix(executionId: string, stream: LogStreamName): string {
  return `logs/${executionId}/${stream}/`;
}

/** Key of the segment starting at `offset` (zero-padded so keys sort in offset order). */
export function segmentKey(executionId: string, stream: LogStreamName, offset: number): string {
  return `${logPrefix(executionId, stream)}${String(offset).padStart(15, '0')}`;
}

/** Where results too big for a DynamoDB item are kept (under `results/`, expired like logs). */
export function resultKey(executionId: string): string {
  return `results/${executionId}.json`;
}
